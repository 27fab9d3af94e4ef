import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing

/// Refund notifications of a gateway that binds by the recorded trade (Paymax), applied to a
/// ledger file: a refund of ours is settled only when the notification names it, and a refund
/// the till never asked for is recorded as made elsewhere, flagged, and counted in the day.
@Suite("Ledger: refund notifications bind to our refunds")
struct LedgerRefundBindingTests {
    static let charge = "ch_57bede9f23b3d17b3d89438c"
    static let otherCharge = "ch_5d0eca3b8f707ed425122e56"

    /// A Paymax order of CNY 100.00, paid as `charge`, in a fresh ledger file.
    private func withPaidOrder(_ body: (SQLiteLedger, Order, String) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            defer { try? ledger.close() }
            let placed = Order(id: try OrderID("S250615120000PAID01"), provider: "paymax", method: .qr, wallet: .alipay,
                               amount: cny(100_00), subject: "Noodles", createdAt: base)
            try ledger.insert(placed)
            let order = try ledger.updateOrder(placed.id, status: .paid, gatewayTradeID: Self.charge, reason: nil, at: base.addingTimeInterval(2))
            try body(ledger, order, path)
        }
    }

    private func cny(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .cny) }

    private func notice(_ order: Order, _ verdict: RefundVerdict, refundID: RefundID? = nil, gatewayID: String = "re_backoffice01",
                        charge: String = charge, amount: Int64 = 5_00, at: Date = base.addingTimeInterval(600)) -> LedgerRefundNotification {
        LedgerRefundNotification(orderID: order.id, notice: RefundNotice(refundID: refundID, gatewayRefundID: gatewayID, gatewayTradeID: charge,
                                                                         amount: cny(amount)),
                                 provider: "paymax", verdict: verdict, body: #"{"type":"REFUND"}"#, at: at, binding: .recordedTrade)
    }

    @Test func aRefundTheTillNeverAskedForIsRecordedAsExternalFlaggedAndCounted() throws {
        try withPaidOrder { ledger, order, _ in
            let outcome = try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_backoffice01")))

            #expect(outcome == .externalRefund)
            let refund = try #require(try ledger.refunds(for: order.id).first)
            #expect(refund.origin == .external && refund.status == .refunded && refund.amount == cny(5_00))
            #expect(refund.id == RefundID(order: order.id, sequence: 1, origin: .external) && refund.id.rawValue.hasSuffix("X1"))
            #expect(refund.gatewayRefundID == "re_backoffice01")
            let flagged = try #require(try ledger.order(order.id))
            #expect(flagged.status == .paid)
            #expect(flagged.attention?.contains("refund made outside the till") == true && flagged.attention?.contains("re_backoffice01") == true)
            // The money left: less is left to refund, and the day's listing adds it.
            #expect(try ledger.refundableRemainder(of: order.id) == cny(95_00))
            let listed = try #require(try ledger.listedOrders(createdFrom: base, to: base.addingTimeInterval(3600)).first)
            #expect(listed.refunded == cny(5_00))
            let day = try ledger.dayActivity(createdFrom: base, to: base.addingTimeInterval(3600))
            #expect(day.refunds == [refund])
            // Never retried: it is not a refund in doubt.
            #expect(try ledger.unresolvedRefunds().isEmpty)
            // The till's next refund follows it.
            let next = try ledger.beginRefund(orderID: order.id, amount: cny(95_00), reason: "all the rest", at: base.addingTimeInterval(700))
            #expect(next.id == RefundID(order: order.id, sequence: 2))
        }
    }

    @Test func theSameRefundMadeElsewhereAgainChangesNothing() throws {
        try withPaidOrder { ledger, order, path in
            _ = try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_backoffice01")))
            let refunds = try ledger.refunds(for: order.id), flagged = try ledger.order(order.id), events = try storedRowCount("events", path)

            let again = try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_backoffice01"), at: base.addingTimeInterval(900)))

            #expect(again == .duplicate)
            #expect(try ledger.refunds(for: order.id) == refunds)
            #expect(try ledger.order(order.id) == flagged)
            #expect(try storedRowCount("events", path) == events)
        }
    }

    @Test func aRefundMadeElsewhereIsNeverAppliedByEliminationToOursInDoubt() throws {
        try withPaidOrder { ledger, order, path in
            // Our refund's answer was lost: the ledger has no gateway refund id for it.
            let ours = try ledger.beginRefund(orderID: order.id, amount: cny(5_00), reason: "cold", at: base.addingTimeInterval(100))
            try ledger.updateRefund(ours.id, status: .unknown, gatewayRefundID: nil, reason: "timed out", at: base.addingTimeInterval(101))
            let before = try ledger.refunds(for: order.id), events = try storedRowCount("events", path)

            // A refund of the same amount naming none of ours: it may be ours, it may not.
            let error = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_unnamed01")))
            }
            guard case .refundUnbound(_, let why)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(why.contains(ours.id.rawValue))
            // A FAILED one that names none of ours never settles ours either.
            let failed = try ledger.applyRefundNotification(notice(order, .declined("Paymax refused the refund (FAILED)"), gatewayID: "re_unnamed02"))
            #expect(failed == .noted)
            #expect(try ledger.refunds(for: order.id) == before)
            #expect(try storedRowCount("events", path) == events)

            // Once it names ours (its re_… id or our number), it settles ours.
            let named = try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_unnamed01"), refundID: ours.id,
                                                                  gatewayID: "re_unnamed01"))
            #expect(named == .refundApplied(.refunded))
            #expect(try ledger.refunds(for: order.id).map(\.status) == [.refunded])
        }
    }

    @Test func aFailedRefundNamingOursByItsGatewayIDFailsIt() throws {
        try withPaidOrder { ledger, order, _ in
            let ours = try ledger.beginRefund(orderID: order.id, amount: cny(5_00), reason: "cold", at: base.addingTimeInterval(100))
            try ledger.updateRefund(ours.id, status: .unknown, gatewayRefundID: "re_ours01", reason: "PROCESSING", at: base.addingTimeInterval(101))
            #expect(try ledger.applyRefundNotification(notice(order, .declined("FAILED"), gatewayID: "re_ours01")) == .refundApplied(.failed))
            #expect(try ledger.refundableRemainder(of: order.id) == cny(100_00))
        }
    }

    @Test func aRefundOfAnotherChargeIsForeignAndOneBeforeTheChargeIsBoundWaits() throws {
        try withPaidOrder { ledger, order, path in
            let ours = try ledger.beginRefund(orderID: order.id, amount: cny(5_00), reason: "cold", at: base.addingTimeInterval(100))
            let events = try storedRowCount("events", path)
            let error = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_x"), refundID: ours.id, charge: Self.otherCharge))
            }
            guard case .foreignTrade(_, let why)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(why.contains(Self.otherCharge) && why.contains(Self.charge))
            #expect(try ledger.refunds(for: order.id).map(\.status) == [.pending])
            #expect(try storedRowCount("events", path) == events)
        }
        try withTemporaryFolder { folder in
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            defer { try? ledger.close() }
            let unbound = Order(id: try OrderID("S250615120000OPEN01"), provider: "paymax", method: .qr, wallet: .alipay,
                                amount: cny(100_00), subject: "Noodles", createdAt: base)
            try ledger.insert(unbound)
            #expect(throws: LedgerError.tradeUnconfirmed(unbound.id, trade: Self.charge)) {
                try ledger.applyRefundNotification(notice(unbound, .refunded(gatewayRefundID: "re_x")))
            }
            #expect(try ledger.refunds(for: unbound.id).isEmpty)
        }
    }

    @Test func aNotificationWhoseNamesDisagreeIsRefused() throws {
        try withPaidOrder { ledger, order, _ in
            let first = try ledger.beginRefund(orderID: order.id, amount: cny(5_00), reason: "one", at: base.addingTimeInterval(100))
            try ledger.updateRefund(first.id, status: .refunded, gatewayRefundID: "re_first", reason: nil, at: base.addingTimeInterval(101))
            let second = try ledger.beginRefund(orderID: order.id, amount: cny(5_00), reason: "two", at: base.addingTimeInterval(200))
            // Our number says the second, Paymax's id the first.
            let error = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_first"), refundID: second.id, gatewayID: "re_first"))
            }
            guard case .notificationMismatch? = error else { Issue.record("\(String(describing: error))"); return }
            // The right number with another amount is not that refund either.
            let amount = #expect(throws: LedgerError.self) {
                try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_second"), refundID: second.id,
                                                          gatewayID: "re_second", amount: 6_00))
            }
            guard case .notificationMismatch? = amount else { Issue.record("\(String(describing: amount))"); return }
            #expect(try ledger.refunds(for: order.id).map(\.status) == [.refunded, .pending])
        }
    }

    @Test func aRefundMadeElsewhereOfAnOrderNotPaidHereSaysSo() throws {
        try withTemporaryFolder { folder in
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            defer { try? ledger.close() }
            let placed = Order(id: try OrderID("S250615120000LATE01"), provider: "paymax", method: .qr, wallet: .alipay,
                               amount: cny(100_00), subject: "Noodles", createdAt: base)
            try ledger.insert(placed)
            let expired = try ledger.updateOrder(placed.id, status: .expired, gatewayTradeID: Self.charge, reason: "timed out", at: base.addingTimeInterval(200))
            #expect(try ledger.applyRefundNotification(notice(expired, .refunded(gatewayRefundID: "re_backoffice01"))) == .externalRefund)
            #expect(try ledger.order(placed.id)?.attention?.contains("not paid: check its payment too") == true)
        }
    }

    @Test func anExternalRefundIsNeverChanged() throws {
        try withPaidOrder { ledger, order, _ in
            _ = try ledger.applyRefundNotification(notice(order, .refunded(gatewayRefundID: "re_backoffice01")))
            let external = try #require(try ledger.refunds(for: order.id).first)
            // A later FAILED naming it changes nothing.
            #expect(try ledger.applyRefundNotification(notice(order, .declined("FAILED"))) == .duplicate)
            #expect(throws: LedgerError.self) {
                try ledger.updateRefund(external.id, status: .failed, gatewayRefundID: nil, reason: "typo", at: base.addingTimeInterval(999))
            }
            #expect(try ledger.refunds(for: order.id) == [external])
        }
    }
}
