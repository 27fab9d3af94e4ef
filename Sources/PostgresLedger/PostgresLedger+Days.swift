import CheckoutCore
import Foundation
import Ledger

extension PostgresLedger {
    /// Closes a day of this store (the Z report) in one transaction. The day's orders are
    /// locked first (`FOR SHARE`), so no till settles one of them while the figures are
    /// compared; a sale recorded meanwhile makes the figures differ (`.dayChanged`).
    @discardableResult
    public func closeDay(_ closure: DayClosure) throws(LedgerError) -> DayClosure {
        guard closure.end > closure.start else { throw .corrupt("day \(closure.day) ends before it starts") }
        let store = settings.store
        let (from, to) = (closure.start.ledgerMillis, closure.end.ledgerMillis)
        try link.withConnection { statements, _ in
            try statements.run("BEGIN")
            do {
                try Self.close(closure, store: store, from, to, statements)
                try statements.run("COMMIT")
            } catch {
                _ = try? statements.run("ROLLBACK")
                throw error
            }
        }
        return closure
    }

    private static func close(_ closure: DayClosure, store: String, _ from: Int64, _ to: Int64,
                              _ statements: PostgresLink.Statements) throws {
        let range: [SQLValue] = [.text(store), .int(from), .int(to)]
        if let closed = try statements.rows("SELECT closed_at FROM day_closures WHERE store_id = ? AND day = ?",
                                            [.text(store), .text(closure.day)]).first {
            throw LedgerError.dayAlreadyClosed(day: closure.day, closedAt: Date(ledgerMillis: try closed.int(0)))
        }
        try statements.run("SELECT 1 FROM orders WHERE store_id = ? AND created_at >= ? AND created_at < ? FOR SHARE", range)
        let open = try openOrderIDs(statements, store: store, from, to)
        if !open.isEmpty { throw LedgerError.dayHasOpenOrders(day: closure.day, orders: open) }
        let currency = closure.paid.currency.code
        var figures = DayFigures()
        for row in try statements.rows("""
            SELECT status, COUNT(*) FROM orders WHERE store_id = ? AND created_at >= ? AND created_at < ? GROUP BY status
            """, range) {
            figures.countsByStatus[try row.text(0)] = Int(try row.int(1))
        }
        for row in try statements.rows("""
            SELECT wallet, COUNT(*), SUM(amount)::bigint FROM orders
            WHERE store_id = ? AND created_at >= ? AND created_at < ? AND status = 'paid' AND currency = ? GROUP BY wallet
            """, range + [.text(currency)]) {
            figures.paidByWallet[try row.text(0)] = (Int(try row.int(1)), try row.int(2))
        }
        for row in try statements.rows("""
            SELECT o.wallet, COUNT(*), SUM(r.amount)::bigint FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE o.store_id = ? AND r.created_at >= ? AND r.created_at < ? AND r.status = 'refunded' AND r.currency = ?
            GROUP BY o.wallet
            """, range + [.text(currency)]) {
            figures.refundedByWallet[try row.text(0)] = (Int(try row.int(1)), try row.int(2))
        }
        // A paid order's `received` (its amount in a row that never had one), any other's when set.
        for row in try statements.rows("""
            SELECT wallet, SUM(CASE WHEN status = 'paid' THEN COALESCE(received, amount) ELSE received END)::bigint FROM orders
            WHERE store_id = ? AND created_at >= ? AND created_at < ? AND currency = ?
            AND (status = 'paid' OR received IS NOT NULL) GROUP BY wallet
            """, range + [.text(currency)]) {
            figures.receivedByWallet[try row.text(0)] = try row.int(1)
        }
        guard figures.match(closure) else { throw LedgerError.dayChanged(day: closure.day) }
        try statements.run("""
            INSERT INTO day_closures (store_id, day, time_zone, starts_at, ends_at, closed_at, currency, order_count,
                paid_count, declined_count, cancelled_count, expired_count, refund_count, paid, refunded, received)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(store), .text(closure.day), .text(closure.timeZone), .int(from), .int(to),
                  .int(closure.closedAt.ledgerMillis), .text(currency), .int(Int64(closure.orderCount)),
                  .int(Int64(closure.paidCount)), .int(Int64(closure.declinedCount)), .int(Int64(closure.cancelledCount)),
                  .int(Int64(closure.expiredCount)), .int(Int64(closure.refundCount)), .int(closure.paid.minorUnits),
                  .int(closure.refunded.minorUnits), .int(closure.received.minorUnits)])
        for totals in closure.wallets {
            try statements.run("""
                INSERT INTO day_closure_wallets (store_id, day, wallet, paid_count, paid, refunded, received)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(store), .text(closure.day), .text(totals.wallet.rawValue), .int(Int64(totals.paidCount)),
                      .int(totals.paid.minorUnits), .int(totals.refunded.minorUnits), .int(totals.received.minorUnits)])
        }
    }

    public func dayClosure(day: String) throws(LedgerError) -> DayClosure? {
        let store = settings.store
        return try reading { statements -> DayClosure? in
            guard let row = try statements.rows("""
                SELECT time_zone, starts_at, ends_at, closed_at, currency, order_count, paid_count, declined_count,
                    cancelled_count, expired_count, refund_count, paid, refunded, received
                FROM day_closures WHERE store_id = ? AND day = ?
                """, [.text(store), .text(day)]).first else { return nil }
            let what = "the closure of \(day)"
            let code = try row.text(4)
            guard let currency = Currency(code: code), currency.code == code else {
                throw LedgerError.corrupt("\(what) has currency \"\(code)\", which this till does not know")
            }
            let paid = Money(minorUnits: try row.int(11), currency: currency)
            var byWallet: [String: (count: Int64, paid: Int64, refunded: Int64, received: Int64?)] = [:]
            for wallet in try statements.rows("""
                SELECT wallet, paid_count, paid, refunded, received FROM day_closure_wallets WHERE store_id = ? AND day = ?
                """, [.text(store), .text(day)]) {
                byWallet[try wallet.text(0)] = (try wallet.int(1), try wallet.int(2), try wallet.int(3), try wallet.optionalInt(4))
            }
            let wallets = Wallet.allCases.compactMap { wallet -> DayClosure.WalletTotals? in
                guard let totals = byWallet[wallet.rawValue] else { return nil }
                return DayClosure.WalletTotals(
                    wallet: wallet, paidCount: Int(totals.count), paid: Money(minorUnits: totals.paid, currency: currency),
                    received: Money(minorUnits: totals.received ?? totals.paid, currency: currency),
                    refunded: Money(minorUnits: totals.refunded, currency: currency))
            }
            return DayClosure(day: day, timeZone: try row.text(0), start: Date(ledgerMillis: try row.int(1)),
                              end: Date(ledgerMillis: try row.int(2)), closedAt: Date(ledgerMillis: try row.int(3)),
                              orderCount: Int(try row.int(5)), paidCount: Int(try row.int(6)),
                              declinedCount: Int(try row.int(7)), cancelledCount: Int(try row.int(8)),
                              expiredCount: Int(try row.int(9)), refundCount: Int(try row.int(10)), paid: paid,
                              received: Money(minorUnits: try row.optionalInt(13) ?? paid.minorUnits, currency: currency),
                              refunded: Money(minorUnits: try row.int(12), currency: currency), wallets: wallets)
        }
    }

    /// Writes many finished orders and their refunds at once, as `Ledger.importHistory` says,
    /// recorded as this store's and this till's; then refreshes the planner's statistics.
    public func importHistory(orders: [Order], refunds: [Refund]) throws(LedgerError) {
        let rows = try LedgerRules<PostgresLedger>.importRows(orders: orders, refunds: refunds)
        try transaction(writing: true) { tx in
            for (order, row) in zip(orders, rows.orders) {
                guard try !tx.orderExists(row.id) else { throw LedgerError.duplicateOrder(order.id) }
                try tx.insert(row)
                try tx.append(LedgerRules<PostgresLedger>.importedEvent(order))
            }
            for (row, refund) in rows.refunds {
                try tx.insert(row)
                try tx.append(LedgerRules<PostgresLedger>.importedEvent(refund, row))
            }
        }
        _ = try link.withConnection { statements, _ in try statements.run("ANALYZE orders, refunds") }
    }
}
