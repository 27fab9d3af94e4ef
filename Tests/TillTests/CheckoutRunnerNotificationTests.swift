import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing
import Till

/// A waiting checkout learns from the ledger: a notification the receiver applied (in this
/// process or another) ends it, before the next query. And an order a live process runs is
/// never touched by another.
@Suite struct CheckoutRunnerNotificationTests {
    @Test func aNotificationAppliedWhileTheTillWaitsEndsItPaidWithoutAnotherQuery() async throws {
        // The customer is confirming; while the till waits, the receiver (sharing the ledger
        // file, as the notify server does) applies the gateway's paid notification.
        let receiverLedger = Observed<Ledger?>(nil)
        let till = try TillFixture(.init(pay: { _ in .userPaying }, query: { _, _ in .userPaying }))
        let other = try SQLiteLedger(path: till.ledgerPath)
        defer { try? other.close() }
        receiverLedger.set(other)
        let orderID = Observed<OrderID?>(nil)
        till.gateway.script { script in
            script.query = { reference, _ in
                // The first query happens after the first wait; the notification lands meanwhile.
                let confirmation = PaymentConfirmation(gatewayTradeID: "N-1", amount: reference.amount)
                _ = try? receiverLedger.current?.applyNotification(LedgerNotification(
                    orderID: reference.orderID, provider: "scripted", verdict: .paid(confirmation), body: "{}", at: Date()))
                orderID.set(reference.orderID)
                return .userPaying
            }
        }

        let report = try await till.runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea")

        #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: "N-1", amount: hkd(1230))))
        #expect(till.gateway.calls.filter { if case .query = $0 { true } else { false } }.count == 1,
                "the till asked again after the notification: \(till.gateway.calls)")
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .paid)
        #expect(stored.gatewayTradeID == "N-1")
        #expect(try till.ledger.events(for: stored.id).contains { $0.kind == .notification })
    }

    @Test func anOrderALiveProcessOwnsIsNotResumedByAnother() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000OWNED1", amount: 1230)
        // A second process on the same ledger: a second Ledger holds a lease of its own.
        let second = try SQLiteLedger(path: till.ledgerPath)
        defer { try? second.close() }
        let runner = CheckoutRunner(gateway: till.gateway, ledger: second, policy: CheckoutPolicy(), timeZone: TillFixture.timeZone,
                                    clock: till.clock.checkoutClock)

        #expect(second.isInProgressElsewhere(try #require(try second.order(order.id))))
        await #expect(throws: TillError.inProgressElsewhere(order.id)) { _ = try await runner.status(order.id) }
        #expect(try await runner.resolveOpenOrders().isEmpty)
        #expect(till.gateway.calls.isEmpty, "the second process talked to the gateway: \(till.gateway.calls)")

        // Its owner ends (closing releases the lease, as the kernel does when a process dies).
        try till.ledger.close()
        #expect(!second.isInProgressElsewhere(try #require(try second.order(order.id))))
        let reports = try await runner.resolveOpenOrders()
        #expect(reports.map(\.order.id) == [order.id])
        #expect(try second.events(for: order.id).contains { $0.kind == .takenOver })
    }
}

extension CheckoutRunnerNotificationTests {
    /// The receiver's ledger, applying a paid notification as the notify server would.
    static func applyPaid(_ ledger: Ledger?, _ reference: OrderReference, trade: String) {
        _ = try? ledger?.applyNotification(LedgerNotification(
            orderID: reference.orderID, provider: "scripted",
            verdict: .paid(PaymentConfirmation(gatewayTradeID: trade, amount: reference.amount)), body: "{}", at: Date()))
    }

    @Test func aNotificationThatLandsWhilePayIsOnTheWireIsTheAnswerNotALedgerProblem() async throws {
        let receiver = Observed<Ledger?>(nil)
        let till = try TillFixture(.init(pay: { request in
            // Paid and notified while the pospay's own answer was still on its way.
            Self.applyPaid(receiver.current, OrderReference(orderID: request.orderID, wallet: .wechat, amount: request.amount), trade: "N-2")
            return .userPaying
        }))
        let other = try SQLiteLedger(path: till.ledgerPath)
        defer { try? other.close() }
        receiver.set(other)

        let report = try await till.runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea")

        #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: "N-2", amount: hkd(1230))))
        #expect(report.ledgerProblems.isEmpty, "\(report.ledgerProblems)")
        #expect(till.gateway.calls.filter { if case .query = $0 { true } else { false } }.isEmpty)
    }

    @Test func aCancelTheGatewayConfirmsAfterANotificationSaidPaidIsFlaggedForAPerson() async throws {
        let receiver = Observed<Ledger?>(nil)
        let till = try TillFixture(.init(pay: { _ in .userPaying }, query: { _, _ in .userPaying },
                                          cancel: { reference, _ in
            // The notification lands just before the gateway confirms the cancel.
            Self.applyPaid(receiver.current, reference, trade: "N-3")
            return .cancelled
        }))
        let other = try SQLiteLedger(path: till.ledgerPath)
        defer { try? other.close() }
        receiver.set(other)
        let control = CheckoutControl()
        control.requestCancel()

        let report = try await till.runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea", control: control)

        guard case .cancelled = report.result else { Issue.record("\(report.result)"); return }
        #expect(report.ledgerProblems.contains { $0.contains("ledger already had it paid") }, "\(report.ledgerProblems)")
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .paid, "the ledger keeps the notification's word")
        #expect(stored.attention?.contains("check the order with the gateway") == true)
    }
}

extension CheckoutRunnerNotificationTests {
    @Test func oneProcessNeverDrivesAnOrderTwiceAtOnce() async throws {
        // The till's start-up sweep is asking about an order; the cashier presses r on it.
        let (asked, askedSignal) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
        let till = try TillFixture(.init(query: { reference, _ in
            askedSignal.yield()
            for await _ in release { break }
            return .paid(PaymentConfirmation(gatewayTradeID: "T-1", amount: reference.amount))
        }))
        let order = try till.insertOrder("S250615200000TWICE1", amount: 1230)

        let sweep = Task { try await till.runner.resolveOpenOrders() }
        for await _ in asked { break }
        await #expect(throws: TillError.inProgressElsewhere(order.id)) { _ = try await till.runner.status(order.id) }
        releaseSignal.yield()

        let reports = try await sweep.value
        #expect(reports.map(\.result) == [.paid(PaymentConfirmation(gatewayTradeID: "T-1", amount: hkd(1230)))])
        #expect(till.gateway.queries(of: order.id) == 1)
    }
}
