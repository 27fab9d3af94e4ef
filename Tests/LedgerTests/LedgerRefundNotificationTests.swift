import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing

/// Verified refund notifications (Paymax sends these) applied to a ledger file.
@Suite("Ledger: refund notifications")
struct LedgerRefundNotificationTests {
    /// A paid order (HKD 100.00, wantu) in a fresh ledger file.
    private func withPaidOrder(_ body: (SQLiteLedger, Order, String) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            defer { try? ledger.close() }
            let order = try paidOrder(in: ledger)
            try body(ledger, order, path)
        }
    }

    private func refunded(_ order: Order, _ refundID: RefundID?, gatewayID: String, provider: String = "wantu",
                          body: String = "{\"refund_status\":\"SUCCESS\"}",
                          at: Date = base.addingTimeInterval(300)) -> LedgerRefundNotification {
        LedgerRefundNotification(orderID: order.id, notice: RefundNotice(refundID: refundID, gatewayRefundID: gatewayID), provider: provider,
                                 verdict: .refunded(gatewayRefundID: gatewayID), body: body, at: at)
    }

    @Test func aPendingRefundBecomesRefundedWithTheGatewaysID() throws {
        try withPaidOrder { ledger, order, _ in
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(40_00), reason: "returned", at: base.addingTimeInterval(100))
            let eventsBefore = try ledger.events(for: order.id)
            let at = base.addingTimeInterval(300)

            let outcome = try ledger.applyRefundNotification(refunded(order, refund.id, gatewayID: "GWREFUND-1",
                                                                      body: "refund-body", at: at))

            #expect(outcome == .refundApplied(.refunded))
            var expected = refund
            expected.status = .refunded
            expected.gatewayRefundID = "GWREFUND-1"
            expected.updatedAt = at
            #expect(try ledger.refunds(for: order.id) == [expected])
            #expect(try ledger.unresolvedRefunds().isEmpty)
            #expect(try ledger.refundableRemainder(of: order.id) == hkd(60_00))
            // The order itself is untouched.
            #expect(try ledger.order(order.id) == order)

            let events = try ledger.events(for: order.id)
            #expect(Array(events.prefix(eventsBefore.count)) == eventsBefore)
            #expect(events.count == eventsBefore.count + 1)
            let event = try #require(events.last)
            #expect(event.kind == .notification)
            #expect(event.refundID == refund.id)
            #expect(event.orderID == order.id)
            #expect(event.at == at)
            #expect(event.detail.contains("pending → refunded"), "\(event.detail)")
            #expect(event.detail.contains("refund-body"), "\(event.detail)")
        }
    }

    @Test func theSameRefundNotificationAgainIsADuplicateAndChangesNothing() throws {
        try withPaidOrder { ledger, order, path in
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(40_00), reason: "returned", at: base)
            #expect(try ledger.applyRefundNotification(refunded(order, refund.id, gatewayID: "GWREFUND-1")) == .refundApplied(.refunded))
            let refunds = try ledger.refunds(for: order.id)
            let events = try ledger.events(for: order.id)
            let eventRows = try storedRowCount("events", path)

            let again = try ledger.applyRefundNotification(refunded(order, refund.id, gatewayID: "GWREFUND-1",
                                                                    at: base.addingTimeInterval(900)))

            #expect(again == .duplicate)
            #expect(try ledger.refunds(for: order.id) == refunds)
            #expect(try ledger.events(for: order.id) == events)
            #expect(try storedRowCount("events", path) == eventRows)
            // A later "declined" for a refund already refunded changes nothing either.
            let declined = LedgerRefundNotification(orderID: order.id, notice: RefundNotice(refundID: refund.id), provider: "wantu",
                                                    verdict: .declined("late"), body: "{}", at: base.addingTimeInterval(901))
            #expect(try ledger.applyRefundNotification(declined) == .duplicate)
            #expect(try ledger.refunds(for: order.id) == refunds)
        }
    }

    @Test func withoutARefundNumberTheGatewaysRefundIDFindsTheRefund() throws {
        try withPaidOrder { ledger, order, _ in
            let first = try ledger.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "one", at: base)
            let second = try ledger.beginRefund(orderID: order.id, amount: hkd(20_00), reason: "two", at: base)
            // The second refund's request timed out, but its answer had carried the gateway's number.
            let secondUnknown = try ledger.updateRefund(second.id, status: .unknown, gatewayRefundID: "GWREFUND-7",
                                                        reason: "timeout", at: base.addingTimeInterval(1))

            let outcome = try ledger.applyRefundNotification(refunded(order, nil, gatewayID: "GWREFUND-7"))

            #expect(outcome == .refundApplied(.refunded))
            let refunds = try ledger.refunds(for: order.id)
            #expect(refunds.count == 2)
            #expect(refunds.first == first, "the other refund was touched")
            #expect(refunds.last?.id == second.id)
            #expect(refunds.last?.status == .refunded)
            #expect(refunds.last?.gatewayRefundID == "GWREFUND-7")
            #expect(refunds.last?.amount == secondUnknown.amount)
            #expect(try ledger.events(for: order.id).last?.refundID == second.id)
        }
    }

    @Test func aDeclinedRefundNotificationFailsThePendingRefund() throws {
        try withPaidOrder { ledger, order, _ in
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(100_00), reason: "all", at: base)
            #expect(try ledger.refundableRemainder(of: order.id) == hkd(0))
            let declined = LedgerRefundNotification(orderID: order.id, notice: RefundNotice(refundID: refund.id), provider: "wantu",
                                                    verdict: .declined("NOTENOUGH"), body: "{}", at: base.addingTimeInterval(5))

            #expect(try ledger.applyRefundNotification(declined) == .refundApplied(.failed))

            #expect(try ledger.refunds(for: order.id).map(\.status) == [.failed])
            #expect(try ledger.refundableRemainder(of: order.id) == hkd(100_00))
        }
    }

    @Test func aRefundTheLedgerDoesNotHaveIsRefusedAndChangesNothing() throws {
        try withPaidOrder { ledger, order, path in
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(40_00), reason: "returned", at: base)
            let refunds = try ledger.refunds(for: order.id)
            let eventRows = try storedRowCount("events", path)
            let missing = RefundID(order: order.id, sequence: 9)

            #expect(throws: LedgerError.refundNotFound(missing)) {
                try ledger.applyRefundNotification(refunded(order, missing, gatewayID: "GWREFUND-1"))
            }
            // No number, and a gateway refund id nobody recorded.
            let error = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(refunded(order, nil, gatewayID: "GWREFUND-UNKNOWN"))
            }
            guard case .refundNotFound? = error else {
                Issue.record("expected refundNotFound, got \(String(describing: error))")
                return
            }

            #expect(try ledger.refunds(for: order.id) == refunds)
            #expect(refunds.first?.id == refund.id && refunds.first?.status == .pending)
            #expect(try storedRowCount("events", path) == eventRows)
        }
    }

    @Test func aFailedNotificationThatNamesNoRefundSettlesNoneEvenTheOnlyOne() throws {
        try withPaidOrder { ledger, order, path in
            _ = try ledger.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "one", at: base)
            let refunds = try ledger.refunds(for: order.id)
            let eventRows = try storedRowCount("events", path)
            // Neither a refund number nor a gateway refund id: the one refund open is not
            // therefore the one that failed (it may be a refund made elsewhere).
            let declined = LedgerRefundNotification(orderID: order.id, notice: RefundNotice(), provider: "wantu",
                                                    verdict: .declined("NOTENOUGH"), body: "{}", at: base.addingTimeInterval(5))

            #expect(try ledger.applyRefundNotification(declined) == .noted)

            #expect(try ledger.refunds(for: order.id) == refunds)
            #expect(try storedRowCount("events", path) == eventRows)
        }
    }

    @Test func aRefundNotificationForAnUnknownOrderOrFromAnotherGatewayIsRefused() throws {
        try withPaidOrder { ledger, order, _ in
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(40_00), reason: "returned", at: base)
            let refunds = try ledger.refunds(for: order.id)
            let missing = try OrderID("S250615120000NOSUCH")

            #expect(throws: LedgerError.orderNotFound(missing)) {
                try ledger.applyRefundNotification(LedgerRefundNotification(
                    orderID: missing, notice: RefundNotice(), provider: "wantu", verdict: .refunded(gatewayRefundID: "G"), body: "", at: base))
            }
            let error = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(refunded(order, refund.id, gatewayID: "GWREFUND-1", provider: "paymax"))
            }
            guard case .notificationMismatch(let id, _)? = error else {
                Issue.record("expected notificationMismatch, got \(String(describing: error))")
                return
            }
            #expect(id == order.id)
            #expect(try ledger.refunds(for: order.id) == refunds)
        }
    }
}
