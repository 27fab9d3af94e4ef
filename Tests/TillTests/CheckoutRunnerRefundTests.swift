import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// Refunds through the runner: each under a number made once, retried under that same number,
/// and never more than what is left to refund.
@Suite struct CheckoutRunnerRefundTests {
    @Test func aPartialRefundLeavesTheRestRefundable() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD001", amount: 100_00, status: .paid, age: 600, trade: "T-9")

        let first = try await till.runner.refund(order.id, amount: hkd(30_00), reason: "one cup broken")

        #expect(first.outcome == .refunded)
        #expect(first.retriedEarlierRefund == false)
        #expect(first.remaining == hkd(70_00))
        #expect(first.refund.id == RefundID(order: order.id, sequence: 1))
        #expect(first.refund.status == .refunded)
        #expect(first.refund.gatewayRefundID == "G-\(first.refund.id)")

        let rest = try await till.runner.refund(order.id, amount: nil, reason: "customer returned the rest")

        #expect(rest.outcome == .refunded)
        #expect(rest.refund.amount == hkd(70_00))
        #expect(rest.remaining == hkd(0))
        #expect(till.gateway.refundIDs == [RefundID(order: order.id, sequence: 1), RefundID(order: order.id, sequence: 2)])
        #expect(try till.ledger.refunds(for: order.id).map(\.status) == [.refunded, .refunded])
    }

    @Test func anInDoubtRefundIsRetriedUnderTheSameNumberUntilItIsConfirmed() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD002", amount: 50_00, status: .paid, age: 600, trade: "T-8")
        till.gateway.script { script in
            script.refund = { request, rank in
                answer(rank, from: [.inDoubt("timed out"), .inDoubt("HTTP 502"), .refunded(gatewayRefundID: "G-77")])
            }
        }

        let report = try await till.runner.refund(order.id, amount: hkd(50_00), reason: "wrong size")

        let number = RefundID(order: order.id, sequence: 1)
        #expect(till.gateway.refundIDs == [number, number, number])
        #expect(report.outcome == .refunded)
        #expect(report.refund.gatewayRefundID == "G-77")
        #expect(till.clock.sleepsTaken == [.seconds(3), .seconds(3)])
        let refunds = try till.ledger.refunds(for: order.id)
        #expect(refunds.count == 1)
        #expect(refunds.first?.status == .refunded)
        #expect(try till.ledger.attempts(for: order.id).filter { $0.operation == .refund }.map(\.refundID) == [number, number, number])
    }

    @Test func runningRefundAgainRetriesTheEarlierUnknownRefundAndStartsNoNewOne() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD003", amount: 80_00, status: .paid, age: 600, trade: "T-7")
        till.gateway.script { script in
            script.refund = { _, _ in .inDoubt("the server did not answer in time") }
        }

        let first = try await till.runner.refund(order.id, amount: hkd(20_00), reason: "late delivery")

        guard case .unknown = first.outcome else {
            Issue.record("expected unknown, got \(first.outcome)")
            return
        }
        #expect(first.refund.status == .unknown)
        // An unknown refund may have gone through: it counts against what can still be refunded.
        #expect(first.remaining == hkd(60_00))

        till.gateway.script { script in script.refund = { _, _ in .refunded(gatewayRefundID: "G-5") } }
        let again = try await till.runner.refund(order.id, amount: hkd(10_00), reason: "late delivery, asked again")

        #expect(again.retriedEarlierRefund)
        #expect(again.outcome == .refunded)
        #expect(again.refund.id == first.refund.id)
        #expect(again.refund.amount == hkd(20_00))
        #expect(Set(till.gateway.refundIDs) == [first.refund.id])
        #expect(try till.ledger.refunds(for: order.id).count == 1)
        #expect(again.remaining == hkd(60_00))
    }

    @Test func aRefundBeyondTheRemainderIsRefusedAndNothingIsSent() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD004", amount: 100_00, status: .paid, age: 600, trade: "T-6")
        _ = try await till.runner.refund(order.id, amount: hkd(70_00), reason: "most of it back")
        let sentBefore = till.gateway.refundIDs

        let error = await #expect(throws: TillError.self) {
            try await till.runner.refund(order.id, amount: hkd(30_01), reason: "one cent too many")
        }

        #expect(error == .ledger(.refundExceedsRemainder(requested: hkd(30_01), remaining: hkd(30_00))))
        #expect(till.gateway.refundIDs == sentBefore)
        #expect(try till.ledger.refunds(for: order.id).count == 1)
        #expect(try till.ledger.refundableRemainder(of: order.id) == hkd(30_00))
    }

    @Test(arguments: [OrderStatus.pending, .cancelled, .declined])
    func aRefundOfAnUnpaidOrderIsRefused(status: OrderStatus) async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD005", amount: 40_00, status: status, age: 600)

        let error = await #expect(throws: TillError.self) {
            try await till.runner.refund(order.id, amount: nil, reason: "change of mind")
        }

        guard case .notApplicable(let why)? = error else {
            Issue.record("expected notApplicable, got \(String(describing: error))")
            return
        }
        #expect(why == .notPaid(order.id, order.status))
        #expect(why.description.contains("not paid"))
        #expect(till.gateway.calls.isEmpty)
        #expect(try till.ledger.refunds(for: order.id).isEmpty)
    }

    @Test func aClearlyDeclinedRefundFailsAndFreesTheAmountAgain() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000RFD006", amount: 40_00, status: .paid, age: 600, trade: "T-5")
        till.gateway.script { script in script.refund = { _, _ in .declined("REFUND_ERROR: the order is too old") } }

        let report = try await till.runner.refund(order.id, amount: nil, reason: "faulty")

        #expect(report.outcome == .failed(.declined("REFUND_ERROR: the order is too old")))
        #expect(till.gateway.refundIDs.count == 1)
        #expect(report.refund.status == .failed)
        #expect(report.remaining == hkd(40_00))
    }
}
