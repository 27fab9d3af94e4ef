import CheckoutCore
import Foundation
import GRDB
import Ledger

/// The write methods follow `LedgerRules`, run in SQLite transactions (`SQLiteStatements`).
extension SQLiteLedger {
    public func insert(_ order: Order) throws(LedgerError) { try rules.insert(order) }

    public func order(_ id: OrderID) throws(LedgerError) -> Order? { try rules.order(id) }

    @discardableResult
    public func updateOrder(_ id: OrderID, status: OrderStatus, gatewayTradeID: String?, reason: String?,
                            at: Date) throws(LedgerError) -> Order {
        try rules.updateOrder(id, status: status, gatewayTradeID: gatewayTradeID, reason: reason, at: at)
    }

    public func flag(_ id: OrderID, attention: String, at: Date) throws(LedgerError) {
        try rules.flag(id, attention: attention, at: at)
    }

    public func claim(_ id: OrderID, at: Date) throws(LedgerError) -> Bool { try rules.claim(id, at: at) }

    public func isInProgressElsewhere(_ order: Order) -> Bool { rules.isInProgressElsewhere(order) }

    public func claimRefund(_ id: RefundID, at: Date) throws(LedgerError) -> Bool { try rules.claimRefund(id, at: at) }

    public func releaseRefund(_ id: RefundID) throws(LedgerError) { try rules.releaseRefund(id) }

    public func isInProgressElsewhere(_ refund: Refund) -> Bool { rules.isInProgressElsewhere(refund) }

    public func recordAttempt(_ attempt: GatewayAttempt) throws(LedgerError) { try rules.recordAttempt(attempt) }

    public func attempts(for orderID: OrderID) throws(LedgerError) -> [GatewayAttempt] { try rules.attempts(for: orderID) }

    public func appendEvent(_ event: LedgerEvent) throws(LedgerError) { try rules.appendEvent(event) }

    public func recordPayLink(token: String, order: OrderID, credential: String, expiresAt: Date, at: Date) throws(LedgerError) {
        try rules.recordPayLink(token: token, order: order, credential: credential, expiresAt: expiresAt, at: at)
    }

    public func payLinkCredential(token: String, at now: Date) throws(LedgerError) -> String? {
        try rules.payLinkCredential(token: token, at: now)
    }

    public func events(for orderID: OrderID) throws(LedgerError) -> [LedgerEvent] { try rules.events(for: orderID) }

    public func beginRefund(orderID: OrderID, amount: Money, reason: String, at: Date) throws(LedgerError) -> Refund {
        try rules.beginRefund(orderID: orderID, amount: amount, reason: reason, at: at)
    }

    @discardableResult
    public func updateRefund(_ id: RefundID, status: RefundStatus, gatewayRefundID: String?, reason: String?,
                             at: Date) throws(LedgerError) -> Refund {
        try rules.updateRefund(id, status: status, gatewayRefundID: gatewayRefundID, reason: reason, at: at)
    }

    public func refunds(for orderID: OrderID) throws(LedgerError) -> [Refund] { try rules.refunds(for: orderID) }

    public func refundableRemainder(of orderID: OrderID) throws(LedgerError) -> Money { try rules.refundableRemainder(of: orderID) }

    public func applyNotification(_ notification: LedgerNotification) throws(LedgerError) -> NotificationOutcome {
        try rules.applyNotification(notification)
    }

    public func applyRefundNotification(_ notification: LedgerRefundNotification) throws(LedgerError) -> NotificationOutcome {
        try rules.applyRefundNotification(notification)
    }

    /// Ends at once: every till of a SQLite ledger is on its machine, where reading the order's
    /// row every so often costs next to nothing, so nothing is announced and the till reads it.
    public func news(of id: OrderID) -> AsyncStream<OrderNews> {
        AsyncStream { $0.finish() }
    }

    /// Orders created in `createdFrom ..< to`, newest first.
    public func orders(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Order] {
        let rows = try read { db in
            try OrderRow.fetchAll(db, sql: Self.dayOrdersSQL, arguments: [start.ledgerMillis, end.ledgerMillis])
        }
        return try LedgerRules<SQLiteLedger>.orders(rows)
    }

    /// Orders whose status is in `statuses`, newest first.
    public func orders(withStatus statuses: Set<OrderStatus>) throws(LedgerError) -> [Order] {
        guard !statuses.isEmpty else { return [] }
        let names = statuses.map(\.rawValue).sorted()
        let rows = try read { db in
            try OrderRow.fetchAll(db, sql: Self.openStatusSQL(count: names.count), arguments: StatementArguments(names))
        }
        return try LedgerRules<SQLiteLedger>.orders(rows)
    }

    /// Refunds made in [start, end), of any order, oldest first.
    public func refunds(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Refund] {
        let rows = try read { db in
            try RefundRow.fetchAll(db, sql: Self.dayRefundsSQL, arguments: [start.ledgerMillis, end.ledgerMillis])
        }
        return try LedgerRules<SQLiteLedger>.refunds(rows)
    }

    public func unresolvedRefunds() throws(LedgerError) -> [Refund] {
        let rows = try read { db in
            try RefundRow.fetchAll(db, sql: Self.unresolvedRefundsSQL)
        }
        return try LedgerRules<SQLiteLedger>.refunds(rows)
    }

    static func openStatusSQL(count: Int) -> String {
        "SELECT * FROM orders WHERE status IN (\(databaseQuestionMarks(count: count))) ORDER BY created_at DESC, id DESC"
    }

    static let unresolvedRefundsSQL = "SELECT * FROM refunds WHERE status IN ('pending', 'unknown') ORDER BY created_at, id"

    /// The order that `provider` made as its trade `gatewayTradeID` since `since`, when the
    /// ledger recorded it.
    ///
    /// Only recent orders are searched, through the index of orders by date (which carries the
    /// trade): an index of its own would cost every paid order's commit a page, for a lookup
    /// that only a notification naming no order of ours needs. An older trade is not lost: the
    /// receiver then asks the gateway which order it is.
    public func orderID(ofTrade gatewayTradeID: String, provider: String, since: Date) throws(LedgerError) -> OrderID? {
        try read { db -> OrderID? in
            let ids = try String.fetchAll(db, sql: Self.orderOfTradeSQL, arguments: [since.ledgerMillis, gatewayTradeID, provider])
            // Two orders recorded with one trade cannot both be it: name neither.
            guard ids.count == 1 else { return nil }
            return try OrderID(ids[0])
        }
    }

    static let orderOfTradeSQL = "SELECT id FROM orders WHERE created_at >= ? AND gateway_trade_id = ? AND provider = ? LIMIT 2"
}
