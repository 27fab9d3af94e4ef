import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// Refunds a gateway accepts and finishes later (Paymax's PROCESSING).
@Suite struct CheckoutRunnerProcessingRefundTests {
    @Test func aProcessingRefundIsReportedOnceAndKeptOpenWithTheGatewaysNumber() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000PRC001", amount: 40_00, status: .paid, age: 600, trade: "T-1")
        till.gateway.script { script in
            script.refund = { _, _ in .processing(gatewayRefundID: "re_1", confirmationURL: "https://pay.example/confirm?x=1") }
        }

        let report = try await till.runner.refund(order.id, amount: nil, reason: "returned")

        #expect(report.outcome == .processing(gatewayRefundID: "re_1", confirmationURL: "https://pay.example/confirm?x=1"))
        // Asked once, not retried like an unclear answer.
        #expect(till.gateway.refundIDs.count == 1 && till.clock.sleepsTaken.isEmpty)
        let refund = try #require(try till.ledger.refunds(for: order.id).first)
        #expect(refund.status == .unknown && refund.gatewayRefundID == "re_1")
        #expect(try till.ledger.refundableRemainder(of: order.id) == hkd(0))
    }

    @Test func aRefundNotificationThatOvertakesTheAnswerStands() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000PRC002", amount: 40_00, status: .paid, age: 600, trade: "T-2")
        let ledger = till.ledger, provider = till.gateway.name
        till.gateway.script { script in
            script.refund = { request, _ in
                // The gateway's webhook reaches the receiver before its answer reaches the till.
                _ = try? ledger.applyRefundNotification(LedgerRefundNotification(
                    orderID: request.order.orderID, notice: RefundNotice(refundID: request.refundID), provider: provider,
                    verdict: .refunded(gatewayRefundID: "re_2"), body: "{}", at: Date()))
                return .processing(gatewayRefundID: "re_2", confirmationURL: nil)
            }
        }

        let report = try await till.runner.refund(order.id, amount: nil, reason: "returned")

        #expect(report.outcome == .refunded)
        #expect(try till.ledger.refunds(for: order.id).map(\.status) == [.refunded])
    }
}
