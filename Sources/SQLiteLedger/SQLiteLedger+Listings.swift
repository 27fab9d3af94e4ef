import CheckoutCore
import Foundation
import GRDB
import Ledger

extension SQLiteLedger {
    /// Orders created in `start ..< end`, newest first, each with its refund sums: one query.
    /// Every order is this till's, so another till's name lists none and `allTills` lists them all.
    public func listedOrders(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [ListedOrder] {
        guard tills.covers(till) else { return [] }
        let rows = try read { db in
            try Row.fetchAll(db, sql: Self.dayListingSQL, arguments: [start.ledgerMillis, end.ledgerMillis])
        }
        return try listed(rows)
    }

    /// One page of the history: at most `limit` orders matching `search`, newest first (by
    /// creation time, then number), starting after `cursor` (from the first when nil). One
    /// query, searched by SQLite; pass the last order of a page as the next page's cursor.
    /// An order written meanwhile never shifts a page: pages are keyed, not counted.
    public func historyPage(_ search: OrderSearch = OrderSearch(), after cursor: OrderCursor? = nil,
                            limit: Int) throws(LedgerError) -> [ListedOrder] {
        guard limit > 0 else { return [] }
        let (sql, arguments) = Self.historySQL(search, after: cursor, limit: limit)
        let rows = try read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return try listed(rows)
    }

    /// Orders created in `start ..< end` still pending or unknown, and orders with a refund
    /// made then still pending or unknown, oldest first: what must be settled before the
    /// day's Z. One query.
    public func openOrderIDs(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [OrderID] {
        guard tills.covers(till) else { return [] }
        return try read { db in try Self.openOrderIDs(start.ledgerMillis, end.ledgerMillis, db) }
    }

    static func openOrderIDs(_ start: Int64, _ end: Int64, _ db: Database) throws -> [OrderID] {
        var ids: [OrderID] = []
        for raw in try String.fetchAll(db, sql: openOrdersSQL, arguments: [start, end, start, end]) {
            ids.append(try RowMapping.orderID(raw, of: "an open order"))
        }
        return ids
    }

    /// The day's orders, the refunds made in the day, and the orders of earlier days those
    /// refunds belong to (for their wallet), read in one transaction with three queries.
    public func dayActivity(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> (orders: [Order], refunds: [Refund]) {
        guard tills.covers(till) else { return ([], []) }
        let range: StatementArguments = [start.ledgerMillis, end.ledgerMillis]
        let (orderRows, refundRows) = try read { db in
            let orders = try OrderRow.fetchAll(db, sql: Self.dayOrdersSQL, arguments: range)
                + OrderRow.fetchAll(db, sql: Self.refundedEarlierOrdersSQL, arguments: range + range)
            let refunds = try RefundRow.fetchAll(db, sql: Self.dayRefundsSQL, arguments: range)
            return (orders, refunds)
        }
        var orders: [Order] = []
        orders.reserveCapacity(orderRows.count)
        for row in orderRows { orders.append(try row.order()) }
        var refunds: [Refund] = []
        refunds.reserveCapacity(refundRows.count)
        for row in refundRows { refunds.append(try row.refund()) }
        return (orders, refunds)
    }

    // MARK: - The queries, each checked against its plan by a test (`plannedQueries`)

    /// An order's refund sums, per row of `orders AS o`, through `refunds_order_status`.
    private static let refundSums = """
        (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded') AS refunded_total,
        (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id
                AND r.status IN ('pending', 'unknown', 'refunded')) AS committed_total
        """

    static let dayListingSQL = """
        SELECT o.*, \(refundSums) FROM orders o
        WHERE o.created_at >= ? AND o.created_at < ?
        ORDER BY o.created_at DESC, o.id DESC
        """

    static let dayOrdersSQL = "SELECT * FROM orders WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC"

    static let dayRefundsSQL = "SELECT * FROM refunds WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id"

    static let refundedEarlierOrdersSQL = """
        SELECT * FROM orders WHERE id IN (SELECT order_id FROM refunds WHERE created_at >= ? AND created_at < ?)
        AND NOT (created_at >= ? AND created_at < ?)
        """

    static let openOrdersSQL = """
        SELECT id, created_at FROM orders
        WHERE status IN ('pending', 'unknown') AND created_at >= ? AND created_at < ?
        UNION
        SELECT o.id, o.created_at FROM refunds r JOIN orders o ON o.id = r.order_id
        WHERE r.status IN ('pending', 'unknown') AND r.created_at >= ? AND r.created_at < ?
        ORDER BY 2, 1
        """

    static let paidByWalletSQL = """
        SELECT wallet, COUNT(*) AS n, SUM(amount) AS total FROM orders
        WHERE status = 'paid' AND created_at >= ? AND created_at < ? AND currency = ? GROUP BY wallet
        """

    /// The money that came in for a day's orders, by wallet: a paid order's `received` (its
    /// amount in a row written before the ledger kept it), and any other order's when set.
    static let receivedByWalletSQL = """
        SELECT wallet, SUM(CASE WHEN status = 'paid' THEN COALESCE(received, amount) ELSE received END) AS total FROM orders
        WHERE created_at >= ? AND created_at < ? AND currency = ? AND (status = 'paid' OR received IS NOT NULL) GROUP BY wallet
        """

    static let refundedByWalletSQL = """
        SELECT o.wallet, COUNT(*) AS n, SUM(r.amount) AS total FROM refunds r JOIN orders o ON o.id = r.order_id
        WHERE r.created_at >= ? AND r.created_at < ? AND r.status = 'refunded' AND r.currency = ? GROUP BY o.wallet
        """

    static let countsByStatusSQL = """
        SELECT status, COUNT(*) AS n FROM orders WHERE created_at >= ? AND created_at < ? GROUP BY status
        """

    /// Every query a screen or command runs over many orders, with sample arguments: a test
    /// asks SQLite for each one's plan and fails when one reads all of `orders` or `refunds`.
    static var plannedQueries: [(name: String, sql: String, arguments: StatementArguments)] {
        let day: StatementArguments = [1_750_000_000_000, 1_750_086_400_000]
        let cursor = OrderCursor(createdAt: Date(ledgerMillis: 1_750_050_000_000), id: try! OrderID("S250615120000ABCDEF"))
        var queries: [(name: String, sql: String, arguments: StatementArguments)] = [
            ("a day's orders with their refunds", dayListingSQL, day),
            ("a day's orders", dayOrdersSQL, day),
            ("a day's refunds", dayRefundsSQL, day),
            ("earlier orders refunded in a day", refundedEarlierOrdersSQL, day + day),
            ("open orders of a day", openOrdersSQL, day + day),
            ("paid by wallet", paidByWalletSQL, day + ["HKD"]),
            ("received by wallet", receivedByWalletSQL, day + ["HKD"]),
            ("refunded by wallet", refundedByWalletSQL, day + ["HKD"]),
            ("counts by status", countsByStatusSQL, day),
            ("open orders", openStatusSQL(count: 2), ["pending", "unknown"]),
            ("unresolved refunds", unresolvedRefundsSQL, []),
            ("an order of the last 90 days by its gateway trade", orderOfTradeSQL, [1_750_000_000_000, "T1", "wantu"]),
        ]
        let searches: [(String, OrderSearch)] = [
            ("history", OrderSearch()),
            ("history in a date range", OrderSearch(createdFrom: Date(ledgerMillis: 1_750_000_000_000),
                                                    createdBefore: Date(ledgerMillis: 1_750_086_400_000))),
            ("history search", OrderSearch(typed: "12.30", currency: .hkd)),
            ("history search in a date range", OrderSearch(typed: "ABC", currency: .hkd,
                                                           createdFrom: Date(ledgerMillis: 1_750_000_000_000))),
        ]
        for (name, search) in searches {
            for page in [nil, cursor] {
                let (sql, arguments) = historySQL(search, after: page, limit: 20)
                queries.append((name + (page == nil ? ", first page" : ", next page"), sql, arguments))
            }
        }
        return queries
    }

    static func historySQL(_ search: OrderSearch, after cursor: OrderCursor?, limit: Int) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let from = search.createdFrom {
            conditions.append("o.created_at >= ?")
            arguments += [from.ledgerMillis]
        }
        if let before = search.createdBefore {
            conditions.append("o.created_at < ?")
            arguments += [before.ledgerMillis]
        }
        if let cursor {
            conditions.append("(o.created_at, o.id) < (?, ?)")
            arguments += [cursor.createdAt.ledgerMillis, cursor.id.rawValue]
        }
        var matches: [String] = []
        if let text = search.text {
            let pattern = "%" + likeEscaped(text) + "%"
            matches.append("o.id LIKE ? ESCAPE '\\' OR o.masked_code LIKE ? ESCAPE '\\' OR o.gateway_trade_id LIKE ? ESCAPE '\\'")
            arguments += [pattern, pattern, pattern]
        }
        if let amount = search.amount {
            matches.append("(o.amount = ? AND o.currency = ?)")
            arguments += [amount.minorUnits, amount.currency.code]
        }
        if !matches.isEmpty { conditions.append("(" + matches.joined(separator: " OR ") + ")") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return ("""
            SELECT o.*, \(refundSums) FROM orders o \(filter)
            ORDER BY o.created_at DESC, o.id DESC LIMIT ?
            """, arguments)
    }

    /// `text` with LIKE's wildcards taken literally (escape character `\`).
    private static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private func listed(_ rows: [Row]) throws(LedgerError) -> [ListedOrder] {
        var listed: [ListedOrder] = []
        listed.reserveCapacity(rows.count)
        for row in rows {
            let order: Order
            do { order = try OrderRow(row: row).order() } catch let error as LedgerError { throw error } catch {
                throw LedgerError(error, path: nil)
            }
            let refunded: Int64 = row["refunded_total"]
            let committed: Int64 = row["committed_total"]
            listed.append(ListedOrder(order: order, till: till, refunded: Money(minorUnits: refunded, currency: order.amount.currency),
                                      committed: Money(minorUnits: committed, currency: order.amount.currency)))
        }
        return listed
    }
}
