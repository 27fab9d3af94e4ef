import CheckoutCore
import Foundation
import Ledger

/// The write methods follow `LedgerRules`, run in PostgreSQL transactions (`PostgresStatements`).
extension PostgresLedger {
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

    // MARK: Reads of many orders, this store's

    /// Runs `body` in a read-only transaction that sees one moment of the database.
    func reading<T>(_ body: (PostgresLink.Statements) throws -> T) throws(LedgerError) -> T {
        try link.withConnection { statements, _ in
            try statements.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try body(statements)
                try statements.run("COMMIT")
                return value
            } catch {
                _ = try? statements.run("ROLLBACK")
                throw error
            }
        }
    }

    static let orderColumns = PostgresStatements.prefixed(PostgresStatements.orderColumns, "o")
    static let refundColumns = PostgresStatements.prefixed(PostgresStatements.refundColumns, "r")

    public func orders(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Order] {
        let store = settings.store
        let rows = try reading { statements in
            try statements.rows("""
                SELECT \(Self.orderColumns) FROM orders o WHERE o.store_id = ? AND o.created_at >= ? AND o.created_at < ?
                ORDER BY o.created_at DESC, o.id DESC
                """, [.text(store), .int(start.ledgerMillis), .int(end.ledgerMillis)]).map(PostgresStatements.orderRow)
        }
        return try LedgerRules<PostgresLedger>.orders(rows)
    }

    public func orders(withStatus statuses: Set<OrderStatus>) throws(LedgerError) -> [Order] {
        guard !statuses.isEmpty else { return [] }
        let store = settings.store
        let names = statuses.map(\.rawValue).sorted()
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let rows = try reading { statements in
            try statements.rows("""
                SELECT \(Self.orderColumns) FROM orders o WHERE o.store_id = ? AND o.status IN (\(marks))
                ORDER BY o.created_at DESC, o.id DESC
                """, [.text(store)] + names.map { .text($0) }).map(PostgresStatements.orderRow)
        }
        return try LedgerRules<PostgresLedger>.orders(rows)
    }

    public func refunds(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Refund] {
        let store = settings.store
        let rows = try reading { statements in
            try Self.dayRefunds(statements, store: store, tills: .allTills, start.ledgerMillis, end.ledgerMillis)
        }
        return try LedgerRules<PostgresLedger>.refunds(rows)
    }

    /// The refunds made in `start ..< end` of the orders of `tills` (a refund counts with its order's till).
    static func dayRefunds(_ statements: PostgresLink.Statements, store: String, tills: TillScope,
                           _ start: Int64, _ end: Int64) throws -> [RefundRow] {
        let filter = tillFilter(tills, "o")
        return try statements.rows("""
            SELECT \(refundColumns) FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE o.store_id = ?\(filter.sql) AND r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at, r.id
            """, [.text(store)] + filter.values + [.int(start), .int(end)]).map(PostgresStatements.refundRow)
    }

    public func unresolvedRefunds() throws(LedgerError) -> [Refund] {
        let store = settings.store
        let rows = try reading { statements in
            try statements.rows("""
                SELECT \(Self.refundColumns) FROM refunds r JOIN orders o ON o.id = r.order_id
                WHERE o.store_id = ? AND r.status IN ('pending', 'unknown') ORDER BY r.created_at, r.id
                """, [.text(store)]).map(PostgresStatements.refundRow)
        }
        return try LedgerRules<PostgresLedger>.refunds(rows)
    }

    public func orderID(ofTrade gatewayTradeID: String, provider: String, since: Date) throws(LedgerError) -> OrderID? {
        let store = settings.store
        return try reading { statements -> OrderID? in
            let rows = try statements.rows("""
                SELECT id FROM orders WHERE store_id = ? AND created_at >= ? AND gateway_trade_id = ? AND provider = ? LIMIT 2
                """, [.text(store), .int(since.ledgerMillis), .text(gatewayTradeID), .text(provider)])
            // Two orders recorded with one trade cannot both be it: name neither.
            guard rows.count == 1 else { return nil }
            return try OrderID(rows[0].text(0))
        }
    }

    // MARK: Listings

    /// An order's refund sums, per row of `orders AS o`, after its columns.
    private static let refundSums = """
        (SELECT COALESCE(SUM(r.amount), 0)::bigint FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded'),
        (SELECT COALESCE(SUM(r.amount), 0)::bigint FROM refunds r WHERE r.order_id = o.id
                AND r.status IN ('pending', 'unknown', 'refunded'))
        """

    public func listedOrders(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [ListedOrder] {
        try historyPage(OrderSearch(createdFrom: start, createdBefore: end), tills: tills, after: nil, limit: nil)
    }

    /// The store's tills: every name a till session of the store has run under (an order is
    /// recorded only in a session), and this one.
    public func tills() throws(LedgerError) -> [String] {
        let store = settings.store
        let names = try reading { statements in
            try statements.rows("SELECT DISTINCT till FROM ledger_sessions WHERE store_id = ?", [.text(store)]).map { try $0.text(0) }
        }
        return Set(names + [till]).sorted()
    }

    /// The condition that keeps the orders of `tills` (aliased `alias`), and its argument.
    static func tillFilter(_ tills: TillScope, _ alias: String) -> (sql: String, values: [SQLValue]) {
        switch tills {
        case .till(let name): (" AND \(alias).till = ?", [.text(name)])
        case .allTills: ("", [])
        }
    }

    public func historyPage(_ search: OrderSearch, after cursor: OrderCursor?, limit: Int) throws(LedgerError) -> [ListedOrder] {
        guard limit > 0 else { return [] }
        // The history is the store's: an order made at one counter is looked up at another.
        return try historyPage(search, tills: .allTills, after: cursor, limit: Optional(limit))
    }

    private func historyPage(_ search: OrderSearch, tills: TillScope, after cursor: OrderCursor?,
                             limit: Int?) throws(LedgerError) -> [ListedOrder] {
        let tillFilter = Self.tillFilter(tills, "o")
        var conditions = ["o.store_id = ?" + tillFilter.sql]
        var values: [SQLValue] = [.text(settings.store)] + tillFilter.values
        if let from = search.createdFrom {
            conditions.append("o.created_at >= ?")
            values.append(.int(from.ledgerMillis))
        }
        if let before = search.createdBefore {
            conditions.append("o.created_at < ?")
            values.append(.int(before.ledgerMillis))
        }
        if let cursor {
            conditions.append("(o.created_at, o.id) < (?, ?)")
            values += [.int(cursor.createdAt.ledgerMillis), .text(cursor.id.rawValue)]
        }
        var matches: [String] = []
        if let text = search.text {
            let pattern = "%" + Self.likeEscaped(text) + "%"
            matches.append("o.id ILIKE ? OR o.masked_code ILIKE ? OR o.gateway_trade_id ILIKE ?")
            values += [.text(pattern), .text(pattern), .text(pattern)]
        }
        if let amount = search.amount {
            matches.append("(o.amount = ? AND o.currency = ?)")
            values += [.int(amount.minorUnits), .text(amount.currency.code)]
        }
        if !matches.isEmpty { conditions.append("(" + matches.joined(separator: " OR ") + ")") }
        var sql = """
            SELECT \(Self.orderColumns), \(Self.refundSums), o.till FROM orders o WHERE \(conditions.joined(separator: " AND "))
            ORDER BY o.created_at DESC, o.id DESC
            """
        if let limit {
            sql += " LIMIT ?"
            values.append(.int(Int64(limit)))
        }
        let rows = try reading { statements in
            try statements.rows(sql, values).map { row in
                (try PostgresStatements.orderRow(row), try row.int(16), try row.int(17), try row.text(18))
            }
        }
        var listed: [ListedOrder] = []
        listed.reserveCapacity(rows.count)
        for (row, refunded, committed, till) in rows {
            let order = try row.order()
            listed.append(ListedOrder(order: order, till: till, refunded: Money(minorUnits: refunded, currency: order.amount.currency),
                                      committed: Money(minorUnits: committed, currency: order.amount.currency)))
        }
        return listed
    }

    /// `text` with LIKE's wildcards taken literally (PostgreSQL's escape character is `\`).
    private static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    public func openOrderIDs(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [OrderID] {
        let store = settings.store
        return try reading { statements in
            try Self.openOrderIDs(statements, store: store, tills: tills, start.ledgerMillis, end.ledgerMillis)
        }
    }

    static func openOrderIDs(_ statements: PostgresLink.Statements, store: String, tills: TillScope,
                             _ start: Int64, _ end: Int64) throws -> [OrderID] {
        let filter = tillFilter(tills, "o")
        return try statements.rows("""
            SELECT o.id, o.created_at FROM orders o
            WHERE o.store_id = ?\(filter.sql) AND o.status IN ('pending', 'unknown') AND o.created_at >= ? AND o.created_at < ?
            UNION
            SELECT o.id, o.created_at FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE o.store_id = ?\(filter.sql) AND r.status IN ('pending', 'unknown') AND r.created_at >= ? AND r.created_at < ?
            ORDER BY 2, 1
            """, [.text(store)] + filter.values + [.int(start), .int(end), .text(store)] + filter.values
                + [.int(start), .int(end)]).map { row in
            try RowMapping.orderID(try row.text(0), of: "an open order")
        }
    }

    public func dayActivity(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> (orders: [Order], refunds: [Refund]) {
        let store = settings.store
        let (from, to) = (start.ledgerMillis, end.ledgerMillis)
        let filter = Self.tillFilter(tills, "o")
        let (orderRows, refundRows) = try reading { statements in
            let day = try statements.rows("""
                SELECT \(Self.orderColumns) FROM orders o WHERE o.store_id = ?\(filter.sql) AND o.created_at >= ? AND o.created_at < ?
                ORDER BY o.created_at DESC, o.id DESC
                """, [.text(store)] + filter.values + [.int(from), .int(to)]).map(PostgresStatements.orderRow)
            let earlier = try statements.rows("""
                SELECT \(Self.orderColumns) FROM orders o WHERE o.store_id = ?\(filter.sql)
                AND o.id IN (SELECT order_id FROM refunds WHERE created_at >= ? AND created_at < ?)
                AND NOT (o.created_at >= ? AND o.created_at < ?)
                """, [.text(store)] + filter.values + [.int(from), .int(to), .int(from), .int(to)]).map(PostgresStatements.orderRow)
            return (day + earlier, try Self.dayRefunds(statements, store: store, tills: tills, from, to))
        }
        return (try LedgerRules<PostgresLedger>.orders(orderRows), try LedgerRules<PostgresLedger>.refunds(refundRows))
    }
}
