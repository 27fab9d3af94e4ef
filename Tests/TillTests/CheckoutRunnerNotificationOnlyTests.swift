import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing
import Till

/// A gateway that cannot be asked or close its orders (CloudPay): the till waits on the ledger
/// alone, and the receiver's word — in another process, on the same ledger file — ends it.
@Suite struct CheckoutRunnerNotificationOnlyTests {
    static let notificationsOnly: GatewayCapabilities = [.qrPay, .notifications]

    /// Applies `verdict` to the order from a second ledger on the same file, as the notify
    /// server does, when the checkout reports its `after`-th wait.
    static func receiver(_ till: TillFixture, after waits: Int, _ verdict: @escaping @Sendable (OrderID, Money) -> PaymentVerdict,
                         log: ProgressLog) throws -> @Sendable (CheckoutProgress) -> Void {
        let other = try SQLiteLedger(path: till.ledgerPath)
        let seen = Observed((waits: 0, order: OrderID?.none))
        return { step in
            log.record(step)
            if case .recorded(let id) = step { seen.update { $0.order = id } }
            guard case .waiting = step else { return }
            seen.update { $0.waits += 1 }
            guard seen.current.waits == waits, let id = seen.current.order, let order = try? other.order(id) else { return }
            _ = try? other.applyNotification(LedgerNotification(orderID: id, provider: "scripted", verdict: verdict(id, order.amount),
                                                                body: "order_id=5001", at: Date()))
        }
    }

    @Test func aQROrderIsPaidByItsNotificationAloneAndNothingIsAsked() async throws {
        let till = try TillFixture(capabilities: Self.notificationsOnly)
        let log = ProgressLog()
        let progress = try Self.receiver(till, after: 3, { _, amount in .paid(PaymentConfirmation(gatewayTradeID: "5001", amount: amount)) }, log: log)

        let report = try await till.runner.payByQR(hkd(1230), wallet: .alipay, subject: "Tea", progress: progress)

        #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: "5001", amount: hkd(1230))))
        #expect(till.gateway.calls == [.createQR(report.order.id)], "only the creation may be sent: \(till.gateway.calls)")
        let waits = log.all.compactMap { step -> (WaitReason, Int?)? in
            if case .waiting(let reason, _, _, _, let notifications) = step { (reason, notifications) } else { nil }
        }
        #expect(waits.count == 3)
        #expect(waits.allSatisfy { $0.0 == .notification(gateway: "scripted") && $0.1 == 0 }, "\(waits)")
        #expect(try till.ledger.order(report.order.id)?.status == .paid)
    }

    @Test func unpaidAtTheDeadlineItExpiresAtTheTillAndALatePaymentIsFlagged() async throws {
        let till = try TillFixture(policy: CheckoutPolicy(qrTimeout: .seconds(60)), capabilities: Self.notificationsOnly)

        let report = try await till.runner.payByQR(hkd(1230), wallet: .alipay, subject: "Tea")

        #expect(report.result == .expired(closed: false))
        #expect(report.result.summary.contains("EXPIRED at the till"))
        #expect(report.result.summary.contains("a late payment will be flagged"))
        #expect(till.gateway.calls == [.createQR(report.order.id)])
        #expect(till.clock.now.offset >= .seconds(60))
        let late = try till.ledger.applyNotification(LedgerNotification(
            orderID: report.order.id, provider: "scripted", verdict: .paid(PaymentConfirmation(gatewayTradeID: "5002", amount: hkd(1230))),
            body: "order_id=5002", at: till.now))
        #expect(late == .paidAfterClose)
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .expired)
        #expect(stored.attention?.contains("paid after close") == true)
    }

    @Test func aShiftedPriceIsPaidWithTheMoneyReceivedRecordedAndNoFlag() async throws {
        let till = try TillFixture(capabilities: Self.notificationsOnly)
        let log = ProgressLog()
        let progress = try Self.receiver(till, after: 1, { _, amount in
            .paid(PaymentConfirmation(gatewayTradeID: "5003", amount: amount, received: Money(minorUnits: amount.minorUnits - 1, currency: amount.currency)))
        }, log: log)

        let report = try await till.runner.payByQR(hkd(1230), wallet: .alipay, subject: "Tea", progress: progress)

        #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: "5003", amount: hkd(1230), received: hkd(1229))))
        #expect(report.result.summary.contains("PAID HKD 12.30 (gateway trade 5003); HKD 12.29 received"), "\(report.result.summary)")
        #expect(report.order.status == .paid)
        #expect(report.order.received == hkd(1229))
        #expect(report.order.attention == nil)
    }

    @Test func anUnderpaymentEndsTheWaitAtOnceNotPaidAndSaysWhatCameInOfWhat() async throws {
        let till = try TillFixture(policy: CheckoutPolicy(qrTimeout: .seconds(600)), capabilities: Self.notificationsOnly)
        let log = ProgressLog()
        let progress = try Self.receiver(till, after: 1, { _, amount in
            .underpaid(PaymentConfirmation(gatewayTradeID: "5005", amount: amount, received: hkd(850)))
        }, log: log)

        let report = try await till.runner.payByQR(hkd(1230), wallet: .alipay, subject: "Tea", progress: progress)

        #expect(report.result == .underpaid(PaymentConfirmation(gatewayTradeID: "5005", amount: hkd(1230), received: hkd(850))))
        #expect(report.result.summary.hasPrefix("UNDERPAID: HKD 8.50 of HKD 12.30 received"), "\(report.result.summary)")
        #expect(report.result.summary.contains("do not hand over the goods"))
        #expect(till.clock.now.offset < .seconds(600), "the till waited out the QR code after the underpayment")
        #expect(report.order.status == .declined)
        #expect(report.order.received == hkd(850))
        #expect(report.order.attention?.contains("underpaid: HKD 8.50 of HKD 12.30 received (trade 5005)") == true, "\(String(describing: report.order.attention))")
        #expect(report.ledgerProblems.isEmpty, "\(report.ledgerProblems)")
        #expect(till.gateway.calls == [.createQR(report.order.id)])
    }

    @Test func aWrongAmountNotificationChangesNothingAndTheTillWaitsOn() async throws {
        let till = try TillFixture(policy: CheckoutPolicy(qrTimeout: .seconds(30)), capabilities: Self.notificationsOnly)
        let other = try SQLiteLedger(path: till.ledgerPath)
        let refused = Observed<LedgerError?>(nil)
        let progress: @Sendable (CheckoutProgress) -> Void = { step in
            guard case .recorded(let id) = step else { return }
            do throws(LedgerError) {
                _ = try other.applyNotification(LedgerNotification(
                    orderID: id, provider: "scripted", verdict: .paid(PaymentConfirmation(gatewayTradeID: "5004", amount: hkd(1231))),
                    body: "order_id=5004", at: Date()))
            } catch {
                refused.set(error)
            }
        }

        let report = try await till.runner.payByQR(hkd(1230), wallet: .alipay, subject: "Tea", progress: progress)

        guard case .notificationMismatch? = refused.current else { Issue.record("not refused: \(String(describing: refused.current))"); return }
        #expect(report.result == .expired(closed: false))
        #expect(try till.ledger.order(report.order.id)?.gatewayTradeID == nil)
        #expect(try till.ledger.events(for: report.order.id).contains { $0.kind == .notification } == false)
    }
}
