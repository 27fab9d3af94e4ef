import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

/// Verified payment notifications applied to a ledger file: what the shop's owner would check
/// afterwards in `shroff orders` / `shroff status` — the order's fields and its event log.
@Suite("Ledger: payment notifications")
struct LedgerNotificationTests {
    static let tradeID = "4200001234567890123456789012"
    static let otherTradeID = "4200009876543210987654321098"

    /// A pending order (HKD 12.30, wantu) in a fresh ledger file.
    private func withPendingOrder(_ body: (SQLiteLedger, Order, String) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            defer { try? ledger.close() }
            let order = try sampleOrder()
            try ledger.insert(order)
            try body(ledger, try #require(try ledger.order(order.id)), path)
        }
    }

    private func paid(_ order: Order, trade: String = tradeID, amount: Money? = nil, provider: String = "wantu",
                      body: String = "{\"trade_state\":\"SUCCESS\"}", at: Date = base.addingTimeInterval(30)) -> LedgerNotification {
        LedgerNotification(orderID: order.id, provider: provider,
                           verdict: .paid(PaymentConfirmation(gatewayTradeID: trade, amount: amount ?? order.amount)),
                           body: body, at: at)
    }

    private func notification(_ order: Order, _ verdict: PaymentVerdict, body: String = "{}",
                              at: Date = base.addingTimeInterval(30)) -> LedgerNotification {
        LedgerNotification(orderID: order.id, provider: "wantu", verdict: verdict, body: body, at: at)
    }

    // MARK: pending → paid

    @Test func aPaidNotificationSettlesAPendingOrderAndLogsItsBody() throws {
        try withPendingOrder { ledger, order, _ in
            let eventsBefore = try ledger.events(for: order.id)
            let body = "{\"out_trade_no\":\"\(order.id)\",\"trade_state\":\"SUCCESS\",\"transaction_id\":\"\(Self.tradeID)\"}"
            let at = base.addingTimeInterval(42)

            let outcome = try ledger.applyNotification(paid(order, body: body, at: at))

            #expect(outcome == .applied(.paid))
            var expected = order
            expected.status = .paid
            expected.gatewayTradeID = Self.tradeID
            expected.received = order.amount
            expected.updatedAt = at
            #expect(try ledger.order(order.id) == expected)

            let events = try ledger.events(for: order.id)
            #expect(Array(events.prefix(eventsBefore.count)) == eventsBefore)
            let added = events.dropFirst(eventsBefore.count)
            #expect(added.count == 1)
            let event = try #require(added.first)
            #expect(event.kind == .notification)
            #expect(event.orderID == order.id)
            #expect(event.refundID == nil)
            #expect(event.at == at)
            #expect(event.detail.contains(body), "\(event.detail)")
            #expect(event.detail.contains("pending → paid"), "\(event.detail)")
            #expect(event.detail.contains(Self.tradeID), "\(event.detail)")
        }
    }

    @Test func aPaidNotificationClearsTheReasonOfAnUnknownOrder() throws {
        try withPendingOrder { ledger, order, _ in
            let unknown = try ledger.updateOrder(order.id, status: .unknown, gatewayTradeID: nil,
                                                 reason: "no answer to the query", at: base.addingTimeInterval(10))
            #expect(unknown.statusReason == "no answer to the query")

            let outcome = try ledger.applyNotification(paid(order))

            #expect(outcome == .applied(.paid))
            let after = try #require(try ledger.order(order.id))
            #expect(after.status == .paid)
            #expect(after.gatewayTradeID == Self.tradeID)
            #expect(after.statusReason == nil)
            #expect(try ledger.events(for: order.id).last?.detail.contains("unknown → paid") == true)
        }
    }

    @Test func theSamePaidNotificationAgainIsADuplicateAndChangesNothing() throws {
        try withPendingOrder { ledger, order, path in
            #expect(try ledger.applyNotification(paid(order)) == .applied(.paid))
            let orderAfterFirst = try ledger.order(order.id)
            let eventsAfterFirst = try ledger.events(for: order.id)

            let again = try ledger.applyNotification(paid(order, at: base.addingTimeInterval(90)))

            #expect(again == .duplicate)
            #expect(try ledger.order(order.id) == orderAfterFirst)
            #expect(try ledger.events(for: order.id) == eventsAfterFirst)
            #expect(try storedRowCount("events", path) == eventsAfterFirst.count)
        }
    }

    // MARK: a second payment

    @Test func aPaidNotificationNamedOnlyByOurOrderNumberIsThePaymentAlreadyRecorded() throws {
        // Given an order paid as the gateway's trade, then its callback without a trade number
        // of the gateway's own (the aggregator's platform_order_no is optional)
        try withPendingOrder { ledger, order, _ in
            #expect(try ledger.applyNotification(paid(order)) == .applied(.paid))
            let eventsBefore = try ledger.events(for: order.id)
            let outcome = try ledger.applyNotification(paid(order, trade: order.id.rawValue, body: "no-trade-body",
                                                            at: base.addingTimeInterval(60)))
            // Then nothing changes and nobody is told of a second payment
            #expect(outcome == .duplicate)
            let after = try #require(try ledger.order(order.id))
            #expect(after.gatewayTradeID == Self.tradeID)
            #expect(after.attention == nil)
            #expect(try ledger.events(for: order.id) == eventsBefore)
        }
    }

    @Test func aPaidOrderReportedUnderAnotherTradeIsASecondPaymentThenADuplicate() throws {
        try withPendingOrder { ledger, order, _ in
            #expect(try ledger.applyNotification(paid(order)) == .applied(.paid))
            let paidOrder = try #require(try ledger.order(order.id))
            let eventsBefore = try ledger.events(for: order.id)

            let outcome = try ledger.applyNotification(paid(order, trade: Self.otherTradeID,
                                                            body: "second-body", at: base.addingTimeInterval(60)))

            #expect(outcome == .secondPayment)
            let after = try #require(try ledger.order(order.id))
            #expect(after.status == .paid)
            #expect(after.gatewayTradeID == Self.tradeID, "the first trade was replaced")
            #expect(after.amount == paidOrder.amount)
            #expect(after.statusReason == paidOrder.statusReason)
            let attention = try #require(after.attention)
            #expect(attention.contains("second payment"), "\(attention)")
            #expect(attention.contains(Self.tradeID) && attention.contains(Self.otherTradeID), "\(attention)")
            let events = try ledger.events(for: order.id)
            #expect(events.count == eventsBefore.count + 1)
            #expect(events.last?.kind == .notification)
            #expect(events.last?.detail.contains("second-body") == true)
            #expect(events.last?.detail.contains("ATTENTION") == true)

            // The gateway resends it: nothing more.
            let flaggedOrder = try ledger.order(order.id)
            let flaggedEvents = try ledger.events(for: order.id)
            #expect(try ledger.applyNotification(paid(order, trade: Self.otherTradeID, at: base.addingTimeInterval(120))) == .duplicate)
            // And the first payment's notification once more: also nothing.
            #expect(try ledger.applyNotification(paid(order, at: base.addingTimeInterval(121))) == .duplicate)
            #expect(try ledger.order(order.id) == flaggedOrder)
            #expect(try ledger.events(for: order.id) == flaggedEvents)
        }
    }

    // MARK: paid after close

    @Test(arguments: [OrderStatus.cancelled, .expired, .declined])
    func aClosedOrderReportedPaidIsFlaggedAndKeepsItsStatus(_ closed: OrderStatus) throws {
        try withPendingOrder { ledger, order, _ in
            let closedOrder = try ledger.updateOrder(order.id, status: closed, gatewayTradeID: nil,
                                                     reason: "closed by the till", at: base.addingTimeInterval(20))
            #expect(closedOrder.gatewayTradeID == nil)
            let eventsBefore = try ledger.events(for: order.id)

            let outcome = try ledger.applyNotification(paid(order, body: "late-body", at: base.addingTimeInterval(40)))

            #expect(outcome == .paidAfterClose)
            let after = try #require(try ledger.order(order.id))
            #expect(after.status == closed)
            #expect(after.statusReason == closedOrder.statusReason)
            #expect(after.gatewayTradeID == Self.tradeID, "the trade the customer was charged under is not recorded")
            let attention = try #require(after.attention)
            #expect(attention.contains("paid after close"), "\(attention)")
            #expect(attention.contains(Self.tradeID), "\(attention)")
            let events = try ledger.events(for: order.id)
            #expect(events.count == eventsBefore.count + 1)
            #expect(events.last?.kind == .notification)
            #expect(events.last?.detail.contains("late-body") == true)

            // Resent: nothing more.
            let flagged = try ledger.order(order.id)
            let flaggedEvents = try ledger.events(for: order.id)
            #expect(try ledger.applyNotification(paid(order, at: base.addingTimeInterval(80))) == .duplicate)
            #expect(try ledger.order(order.id) == flagged)
            #expect(try ledger.events(for: order.id) == flaggedEvents)
        }
    }

    @Test func paidAfterCloseKeepsATradeIDTheOrderAlreadyHad() throws {
        try withPendingOrder { ledger, order, _ in
            // A QR order whose creation gave the gateway's own number, then expired at the till.
            try ledger.updateOrder(order.id, status: .expired, gatewayTradeID: "QR-GATEWAY-ORDER-1", reason: "nobody scanned",
                                   at: base.addingTimeInterval(20))

            #expect(try ledger.applyNotification(paid(order)) == .paidAfterClose)

            let after = try #require(try ledger.order(order.id))
            #expect(after.status == .expired)
            #expect(after.gatewayTradeID == "QR-GATEWAY-ORDER-1")
            #expect(after.attention?.contains(Self.tradeID) == true)
        }
    }

    // MARK: declined

    @Test func aDeclinedNotificationDeclinesAPendingOrderAndALaterPaymentIsPaidAfterClose() throws {
        try withPendingOrder { ledger, order, _ in
            let eventsBefore = try ledger.events(for: order.id)
            let decline = Decline(.insufficientFunds, gatewayMessage: "NOTENOUGH")

            let outcome = try ledger.applyNotification(notification(order, .declined(decline), body: "declined-body",
                                                                    at: base.addingTimeInterval(25)))

            #expect(outcome == .applied(.declined))
            let declined = try #require(try ledger.order(order.id))
            #expect(declined.status == .declined)
            #expect(declined.updatedAt == base.addingTimeInterval(25))
            #expect(declined.gatewayTradeID == nil)
            #expect(declined.attention == nil)
            #expect(declined.statusReason?.contains("NOTENOUGH") == true, "\(declined.statusReason ?? "nil")")
            #expect(declined.statusReason?.contains(DeclineReason.insufficientFunds.advice) == true)
            let events = try ledger.events(for: order.id)
            #expect(events.count == eventsBefore.count + 1)
            #expect(events.last?.kind == .notification)
            #expect(events.last?.detail.contains("pending → declined") == true)
            #expect(events.last?.detail.contains("declined-body") == true)

            // Declined again: nothing.
            #expect(try ledger.applyNotification(notification(order, .declined(decline))) == .duplicate)
            #expect(try ledger.order(order.id) == declined)
            #expect(try ledger.events(for: order.id) == events)

            // Then the gateway says it was paid after all.
            #expect(try ledger.applyNotification(paid(order)) == .paidAfterClose)
            let after = try #require(try ledger.order(order.id))
            #expect(after.status == .declined)
            #expect(after.attention?.contains("paid after close") == true)
        }
    }

    @Test func aDeclinedNotificationNeverUndoesAPayment() throws {
        try withPendingOrder { ledger, order, _ in
            #expect(try ledger.applyNotification(paid(order)) == .applied(.paid))
            let paidOrder = try ledger.order(order.id)
            let events = try ledger.events(for: order.id)

            let outcome = try ledger.applyNotification(notification(order, .declined(Decline(.paymentFailed, gatewayMessage: "late"))))

            #expect(outcome == .duplicate)
            #expect(try ledger.order(order.id) == paidOrder)
            #expect(try ledger.events(for: order.id) == events)
        }
    }

    // MARK: not final

    static let notFinal: [PaymentVerdict] = [.notPaid, .userPaying, .notFound, .inDoubt("timeout")]

    @Test(arguments: notFinal)
    func aVerdictThatIsNotFinalIsNotedAndChangesNothing(_ verdict: PaymentVerdict) throws {
        try withPendingOrder { ledger, order, path in
            let events = try ledger.events(for: order.id)
            let eventRows = try storedRowCount("events", path)

            let outcome = try ledger.applyNotification(notification(order, verdict))

            #expect(outcome == .noted)
            #expect(try ledger.order(order.id) == order)
            #expect(try ledger.events(for: order.id) == events)
            #expect(try storedRowCount("events", path) == eventRows)
        }
    }

    // MARK: refused

    enum Mismatch: String, CaseIterable, CustomTestStringConvertible {
        case provider, amount, currency
        var testDescription: String { "wrong \(rawValue)" }
    }

    @Test(arguments: Mismatch.allCases, [OrderStatus.pending, .paid, .cancelled])
    func aNotificationThatDoesNotMatchTheOrderIsRefusedAndChangesNothing(_ mismatch: Mismatch, _ status: OrderStatus) throws {
        try withPendingOrder { ledger, order, path in
            if status != .pending {
                try ledger.updateOrder(order.id, status: status, gatewayTradeID: status == .paid ? Self.tradeID : nil,
                                       reason: nil, at: base.addingTimeInterval(5))
            }
            let before = try #require(try ledger.order(order.id))
            let events = try ledger.events(for: order.id)
            let eventRows = try storedRowCount("events", path)
            let wrong: LedgerNotification
            switch mismatch {
            case .provider: wrong = paid(order, trade: Self.otherTradeID, provider: "paymax")
            case .amount: wrong = paid(order, trade: Self.otherTradeID, amount: hkd(order.amount.minorUnits + 1))
            case .currency: wrong = paid(order, trade: Self.otherTradeID,
                                         amount: Money(minorUnits: order.amount.minorUnits, currency: .cny))
            }

            let error = #expect(throws: LedgerError.self) { try ledger.applyNotification(wrong) }

            guard case .notificationMismatch(let id, let why)? = error else {
                Issue.record("expected notificationMismatch, got \(String(describing: error))")
                return
            }
            #expect(id == order.id)
            #expect(!why.isEmpty)
            #expect(try ledger.order(order.id) == before)
            #expect(try ledger.events(for: order.id) == events)
            #expect(try storedRowCount("events", path) == eventRows)
        }
    }

    @Test func aWrongProviderIsRefusedEvenForAVerdictThatChangesNothing() throws {
        try withPendingOrder { ledger, order, _ in
            let wrong = LedgerNotification(orderID: order.id, provider: "paymax", verdict: .notPaid, body: "{}", at: base)
            let error = #expect(throws: LedgerError.self) { try ledger.applyNotification(wrong) }
            guard case .notificationMismatch? = error else {
                Issue.record("expected notificationMismatch, got \(String(describing: error))")
                return
            }
            let after = try ledger.order(order.id)
            #expect(after == order)
        }
    }

    @Test func aNotificationForAnOrderTheLedgerDoesNotHaveIsRefused() throws {
        try withPendingOrder { ledger, order, path in
            let missing = try OrderID("S250615120000NOSUCH")
            let eventRows = try storedRowCount("events", path)
            var stranger = paid(order)
            stranger.orderID = missing

            #expect(throws: LedgerError.orderNotFound(missing)) { try ledger.applyNotification(stranger) }

            #expect(try ledger.order(missing) == nil)
            #expect(try ledger.order(order.id) == order)
            #expect(try storedRowCount("events", path) == eventRows)
        }
    }

    // MARK: secrets

    @Test func aPaymentCodeInTheBodyIsStoredMasked() throws {
        try withPendingOrder { ledger, order, path in
            let body = "{\"auth_code\":\"\(scannedWeChatCode)\",\"trade_state\":\"SUCCESS\"}"

            #expect(try ledger.applyNotification(paid(order, body: body)) == .applied(.paid))

            let detail = try #require(try ledger.events(for: order.id).last?.detail)
            #expect(detail.contains("1345**********6789"), "\(detail)")
            #expect(!detail.contains(scannedWeChatCode), "\(detail)")
            // Not only in what the API hands back: nowhere in the stored rows.
            let stored = try rawConnection(path).read { db in
                try String.fetchAll(db, sql: "SELECT detail FROM events").joined(separator: "\n")
            }
            #expect(stored.contains("1345**********6789"))
            #expect(!stored.contains(scannedWeChatCode))
        }
    }

    @Test func aPaymentCodeInADeclineIsStoredMasked() throws {
        try withPendingOrder { ledger, order, path in
            let decline = Decline(.codeInvalid, gatewayMessage: "code \(scannedWeChatCode) is invalid")

            #expect(try ledger.applyNotification(notification(order, .declined(decline),
                                                              body: "auth_code=\(scannedWeChatCode)")) == .applied(.declined))

            let after = try #require(try ledger.order(order.id))
            #expect(after.statusReason?.contains("1345**********6789") == true, "\(after.statusReason ?? "nil")")
            let stored = try rawConnection(path).read { db in
                try String.fetchAll(db, sql: "SELECT detail FROM events").joined(separator: "\n")
                    + (try String.fetchAll(db, sql: "SELECT status_reason FROM orders WHERE status_reason IS NOT NULL")
                        .joined(separator: "\n"))
            }
            #expect(stored.contains("1345**********6789"))
            #expect(!stored.contains(scannedWeChatCode))
        }
    }
}

/// Rows in `table`, counted through a connection of its own.
func storedRowCount(_ table: String, _ path: String) throws -> Int {
    try rawConnection(path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") } ?? -1
}
