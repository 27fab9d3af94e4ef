import CheckoutCore
import Foundation
import Ledger
import Sandbox
import Testing
import TestSupport
import Till
import WantuGateway

/// A till that dies mid-payment and starts again, and refunds whose answers are lost: nothing
/// is left pending, nothing is paid or refunded twice.
@Suite struct EndToEndRecoveryTests {
    /// Leaves an order as a crash would: in the ledger as pending with a pay attempt that never
    /// finished, and at the sandbox through a pospay whose answer the till never read.
    func crashMidPayment(_ till: EndToEndTill, amount: Int64) async throws -> (Order, PaymentVerdict) {
        var generator = SystemRandomNumberGenerator()
        let order = Order(id: OrderID.generate(localTimestamp: "250615200000", using: &generator), provider: "wantu",
                          method: .scan, wallet: .wechat, amount: EndToEndTill.hkd(amount), subject: "Training sale",
                          maskedCode: try EndToEndTill.code().masked, createdAt: till.now)
        try till.ledger.insert(order)
        try till.ledger.recordAttempt(GatewayAttempt(orderID: order.id, operation: .pay, startedAt: till.now, outcome: "sent, no answer yet"))
        let lost = await till.gateway.pay(BarcodePayRequest(orderID: order.id, amount: order.amount, subject: order.subject,
                                                            code: try EndToEndTill.code()))
        try till.ledger.close()
        return (order, lost)
    }

    @Test func anOrderWhosePayHungWhenTheTillDiedIsFoundPaidAfterTheRestart() async throws {
        try await EndToEndTill.run { till in
            let (order, lost) = try await crashMidPayment(till, amount: 25_07)
            guard case .inDoubt = lost else {
                Issue.record("the hanging pospay should have timed out, got \(lost)")
                return
            }

            let (ledger, runner) = try till.restarted()
            defer { try? ledger.close() }
            let reports = try await runner.resolveOpenOrders()

            #expect(reports.map(\.order.id) == [order.id])
            let atSandbox = try #require(await till.atSandbox(order))
            #expect(reports.first?.result == .paid(PaymentConfirmation(gatewayTradeID: atSandbox.tradeID, amount: order.amount,
                                                                       paidAt: atSandbox.tradeTime)))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
            let stored = try #require(try ledger.order(order.id))
            #expect(stored.status == .paid)
            #expect(stored.gatewayTradeID == atSandbox.tradeID)
            #expect(try ledger.orders(withStatus: [.pending, .unknown]).isEmpty)
        }
    }

    @Test func anOrderTheCustomerNeverConfirmedIsCancelledAfterTheRestart() async throws {
        try await EndToEndTill.run { till in
            let (order, lost) = try await crashMidPayment(till, amount: 25_05)
            #expect(lost == .userPaying)

            let (ledger, runner) = try till.restarted()
            defer { try? ledger.close() }
            let reports = try await runner.resolveOpenOrders()

            #expect(reports.map(\.result.orderStatus) == [.cancelled])
            let atSandbox = try #require(await till.atSandbox(order))
            #expect(atSandbox.status == .closed)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.cancelCalls == 1)
            #expect(try ledger.order(order.id)?.status == .cancelled)
            #expect(try ledger.orders(withStatus: [.pending, .unknown]).isEmpty)
        }
    }

    @Test func aCustomerWhoConfirmedWhileTheTillWasDownIsFoundPaid() async throws {
        try await EndToEndTill.run { till in
            let (order, lost) = try await crashMidPayment(till, amount: 25_04)
            #expect(lost == .userPaying)
            till.clock.advance(by: .seconds(20))  // the till takes a while to come back

            let (ledger, runner) = try till.restarted()
            defer { try? ledger.close() }
            let reports = try await runner.resolveOpenOrders()

            #expect(reports.map(\.result.orderStatus) == [.paid])
            #expect(till.clock.sleepsTaken.isEmpty)
            let atSandbox = try #require(await till.atSandbox(order))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
            #expect(try ledger.order(order.id)?.status == .paid)
        }
    }

    @Test func aRefundWhoseAnswerIsLostIsRetriedUnderTheSameNumberAndRefundedOnce() async throws {
        try await EndToEndTill.run { till in
            let sale = try await till.pay(30_07)
            guard case .paid = sale.result else {
                Issue.record("expected the sale paid, got \(sale.result)")
                return
            }

            let report = try await till.runner.refund(sale.order.id, amount: nil, reason: "returned unopened")

            #expect(report.outcome == .refunded)
            #expect(report.remaining == EndToEndTill.hkd(0))
            let atSandbox = try #require(await till.atSandbox(sale.order))
            #expect(atSandbox.refundCount == 1)
            #expect(atSandbox.refundCalls == 2)
            #expect(atSandbox.refundedTotal == EndToEndTill.hkd(30_07))
            let refunds = try till.ledger.refunds(for: sale.order.id)
            #expect(refunds.map(\.status) == [.refunded])
            let refundAttempts = try till.ledger.attempts(for: sale.order.id).filter { $0.operation == .refund }
            #expect(refundAttempts.count == 2)
            #expect(refundAttempts.allSatisfy { $0.refundID == refunds.first?.id })
            #expect(refundAttempts.first?.outcome.hasPrefix("in doubt") == true)

            // Typing the refund again changes nothing at the gateway: nothing is left to refund.
            let error = await #expect(throws: TillError.self) {
                try await till.runner.refund(sale.order.id, amount: nil, reason: "pressed twice")
            }
            #expect(error != nil)
            #expect(await till.atSandbox(sale.order)?.refundCount == 1)
        }
    }

    @Test func aPartialRefundLeavesTheRestRefundableAtBothEnds() async throws {
        try await EndToEndTill.run { till in
            let sale = try await till.pay(40_00)
            let report = try await till.runner.refund(sale.order.id, amount: EndToEndTill.hkd(15_50), reason: "one item back")

            #expect(report.outcome == .refunded)
            #expect(report.remaining == EndToEndTill.hkd(24_50))
            let atSandbox = try #require(await till.atSandbox(sale.order))
            #expect(atSandbox.refundedTotal == EndToEndTill.hkd(15_50))
            #expect(atSandbox.refundCalls == 1)
        }
    }
}
