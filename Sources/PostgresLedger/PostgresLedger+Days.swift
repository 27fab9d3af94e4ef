import CheckoutCore
import Foundation
import Ledger

extension PostgresLedger {
    /// Closes one till's day of this store (the Z report; `closure.till`, this till's when nil)
    /// in one transaction. The till's orders of the day are locked first (`FOR SHARE`), so no
    /// till settles one of them while the figures are compared; a sale recorded meanwhile makes
    /// the figures differ (`.dayChanged`). Closings of one store's day take turns (an advisory
    /// lock), so a till closing twice at once is refused once as `.dayAlreadyClosed`.
    @discardableResult
    public func closeDay(_ closure: DayClosure) throws(LedgerError) -> DayClosure {
        guard closure.end > closure.start else { throw .corrupt("day \(closure.day) ends before it starts") }
        let till = closure.till ?? self.till
        let known = try tills()
        guard known.contains(till) else { throw .unknownTill(till, known: known) }
        var closure = closure
        closure.till = till
        let store = settings.store
        let (from, to) = (closure.start.ledgerMillis, closure.end.ledgerMillis)
        try link.withConnection { [closure] statements, _ in
            try statements.run("BEGIN")
            do {
                try Self.close(closure, store: store, till: till, from, to, statements)
                try statements.run("COMMIT")
            } catch {
                _ = try? statements.run("ROLLBACK")
                throw error
            }
        }
        return closure
    }

    private static func close(_ closure: DayClosure, store: String, till: String, _ from: Int64, _ to: Int64,
                              _ statements: PostgresLink.Statements) throws {
        let range: [SQLValue] = [.text(store), .text(till), .int(from), .int(to)]
        try statements.run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [.text("day \(store) \(closure.day)")])
        // A closure of the whole store's day (till '') closed every till's.
        if let closed = try statements.rows("SELECT closed_at FROM day_closures WHERE store_id = ? AND day = ? AND till IN (?, '')",
                                            [.text(store), .text(closure.day), .text(till)]).first {
            throw LedgerError.dayAlreadyClosed(day: closure.day, closedAt: Date(ledgerMillis: try closed.int(0)))
        }
        try statements.run("SELECT 1 FROM orders WHERE store_id = ? AND till = ? AND created_at >= ? AND created_at < ? FOR SHARE", range)
        let open = try openOrderIDs(statements, store: store, tills: .till(till), from, to)
        if !open.isEmpty { throw LedgerError.dayHasOpenOrders(day: closure.day, orders: open) }
        let currency = closure.paid.currency.code
        var figures = DayFigures()
        for row in try statements.rows("""
            SELECT status, COUNT(*) FROM orders WHERE store_id = ? AND till = ? AND created_at >= ? AND created_at < ? GROUP BY status
            """, range) {
            figures.countsByStatus[try row.text(0)] = Int(try row.int(1))
        }
        for row in try statements.rows("""
            SELECT wallet, COUNT(*), SUM(amount)::bigint FROM orders
            WHERE store_id = ? AND till = ? AND created_at >= ? AND created_at < ? AND status = 'paid' AND currency = ? GROUP BY wallet
            """, range + [.text(currency)]) {
            figures.paidByWallet[try row.text(0)] = (Int(try row.int(1)), try row.int(2))
        }
        for row in try statements.rows("""
            SELECT o.wallet, COUNT(*), SUM(r.amount)::bigint FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE o.store_id = ? AND o.till = ? AND r.created_at >= ? AND r.created_at < ? AND r.status = 'refunded' AND r.currency = ?
            GROUP BY o.wallet
            """, range + [.text(currency)]) {
            figures.refundedByWallet[try row.text(0)] = (Int(try row.int(1)), try row.int(2))
        }
        // A paid order's `received` (its amount in a row that never had one), any other's when set.
        for row in try statements.rows("""
            SELECT wallet, SUM(CASE WHEN status = 'paid' THEN COALESCE(received, amount) ELSE received END)::bigint FROM orders
            WHERE store_id = ? AND till = ? AND created_at >= ? AND created_at < ? AND currency = ?
            AND (status = 'paid' OR received IS NOT NULL) GROUP BY wallet
            """, range + [.text(currency)]) {
            figures.receivedByWallet[try row.text(0)] = try row.int(1)
        }
        guard figures.match(closure) else { throw LedgerError.dayChanged(day: closure.day) }
        try statements.run("""
            INSERT INTO day_closures (store_id, till, day, time_zone, starts_at, ends_at, closed_at, currency, order_count,
                paid_count, declined_count, cancelled_count, expired_count, refund_count, paid, refunded, received)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(store), .text(till), .text(closure.day), .text(closure.timeZone), .int(from), .int(to),
                  .int(closure.closedAt.ledgerMillis), .text(currency), .int(Int64(closure.orderCount)),
                  .int(Int64(closure.paidCount)), .int(Int64(closure.declinedCount)), .int(Int64(closure.cancelledCount)),
                  .int(Int64(closure.expiredCount)), .int(Int64(closure.refundCount)), .int(closure.paid.minorUnits),
                  .int(closure.refunded.minorUnits), .int(closure.received.minorUnits)])
        for totals in closure.wallets {
            try statements.run("""
                INSERT INTO day_closure_wallets (store_id, till, day, wallet, paid_count, paid, refunded, received)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(store), .text(till), .text(closure.day), .text(totals.wallet.rawValue), .int(Int64(totals.paidCount)),
                      .int(totals.paid.minorUnits), .int(totals.refunded.minorUnits), .int(totals.received.minorUnits)])
        }
    }

    /// The closure of `till`'s `day`: its own, or the whole store's (`till` nil) made before
    /// each till closed its own day.
    public func dayClosure(day: String, till: String) throws(LedgerError) -> DayClosure? {
        let store = settings.store
        return try reading { statements -> DayClosure? in
            guard let row = try statements.rows("""
                SELECT time_zone, starts_at, ends_at, closed_at, currency, order_count, paid_count, declined_count,
                    cancelled_count, expired_count, refund_count, paid, refunded, received, till
                FROM day_closures WHERE store_id = ? AND day = ? AND till IN (?, '') ORDER BY till DESC LIMIT 1
                """, [.text(store), .text(day), .text(till)]).first else { return nil }
            let closedTill = try row.text(14)
            let what = "the closure of \(day)"
            let code = try row.text(4)
            guard let currency = Currency(code: code), currency.code == code else {
                throw LedgerError.corrupt("\(what) has currency \"\(code)\", which this till does not know")
            }
            let paid = Money(minorUnits: try row.int(11), currency: currency)
            var byWallet: [String: (count: Int64, paid: Int64, refunded: Int64, received: Int64?)] = [:]
            for wallet in try statements.rows("""
                SELECT wallet, paid_count, paid, refunded, received FROM day_closure_wallets
                WHERE store_id = ? AND day = ? AND till = ?
                """, [.text(store), .text(day), .text(closedTill)]) {
                byWallet[try wallet.text(0)] = (try wallet.int(1), try wallet.int(2), try wallet.int(3), try wallet.optionalInt(4))
            }
            let wallets = Wallet.allCases.compactMap { wallet -> DayClosure.WalletTotals? in
                guard let totals = byWallet[wallet.rawValue] else { return nil }
                return DayClosure.WalletTotals(
                    wallet: wallet, paidCount: Int(totals.count), paid: Money(minorUnits: totals.paid, currency: currency),
                    received: Money(minorUnits: totals.received ?? totals.paid, currency: currency),
                    refunded: Money(minorUnits: totals.refunded, currency: currency))
            }
            return DayClosure(day: day, till: closedTill.isEmpty ? nil : closedTill, timeZone: try row.text(0), start: Date(ledgerMillis: try row.int(1)),
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
