import CheckoutCore
import Foundation
import GRDB
import Ledger

extension SQLiteLedger {
    /// Closes the day (the Z report), in one transaction: this till's day, the only one in
    /// the ledger (a closure naming another till is refused as `.unknownTill`).
    ///
    /// Refuses with `.dayAlreadyClosed` when the day has a closure already, with
    /// `.dayHasOpenOrders` (naming them) while any order of the day, or a refund of one, is
    /// pending or unknown, and with `.dayChanged` when the closure's counts or totals no longer
    /// match the ledger's orders and refunds for `start ..< end` (a sale was made or settled
    /// after the report was computed). Nothing is written when it refuses.
    @discardableResult
    public func closeDay(_ closure: DayClosure) throws(LedgerError) -> DayClosure {
        guard closure.end > closure.start else { throw .corrupt("day \(closure.day) ends before it starts") }
        if let other = closure.till, other != till { throw .unknownTill(other, known: [till]) }
        var closure = closure
        closure.till = till
        try write { db in
            if let closedAt = try Int64.fetchOne(db, sql: "SELECT closed_at FROM day_closures WHERE day = ?",
                                                 arguments: [closure.day]) {
                throw LedgerError.dayAlreadyClosed(day: closure.day, closedAt: Date(ledgerMillis: closedAt))
            }
            let range: StatementArguments = [closure.start.ledgerMillis, closure.end.ledgerMillis]
            // Open: the day's orders still pending or unknown, and orders with a refund made that day still in doubt.
            let open = try Self.openOrderIDs(closure.start.ledgerMillis, closure.end.ledgerMillis, db)
            if !open.isEmpty {
                throw LedgerError.dayHasOpenOrders(day: closure.day, orders: open)
            }
            guard try Self.figuresMatch(closure, range: range, db) else {
                throw LedgerError.dayChanged(day: closure.day)
            }
            try db.execute(sql: """
                INSERT INTO day_closures (day, time_zone, starts_at, ends_at, closed_at, currency, order_count,
                    paid_count, declined_count, cancelled_count, expired_count, refund_count, paid, refunded, received)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [closure.day, closure.timeZone, closure.start.ledgerMillis, closure.end.ledgerMillis,
                                 closure.closedAt.ledgerMillis, closure.paid.currency.code, closure.orderCount,
                                 closure.paidCount, closure.declinedCount, closure.cancelledCount,
                                 closure.expiredCount, closure.refundCount, closure.paid.minorUnits,
                                 closure.refunded.minorUnits, closure.received.minorUnits])
            for totals in closure.wallets {
                try db.execute(sql: """
                    INSERT INTO day_closure_wallets (day, wallet, paid_count, paid, refunded, received) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [closure.day, totals.wallet.rawValue, totals.paidCount,
                                     totals.paid.minorUnits, totals.refunded.minorUnits, totals.received.minorUnits])
            }
        }
        return closure
    }

    /// The closure of `day` ("yyyy-MM-dd"), or nil while the day is open; nil for a till
    /// other than this one, which has no days in this ledger.
    public func dayClosure(day: String, till: String) throws(LedgerError) -> DayClosure? {
        guard till == self.till else { return nil }
        let rows = try read { db -> (Row, [Row])? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM day_closures WHERE day = ?", arguments: [day]) else {
                return nil
            }
            let wallets = try Row.fetchAll(db, sql: "SELECT * FROM day_closure_wallets WHERE day = ?", arguments: [day])
            return (row, wallets)
        }
        guard let (row, walletRows) = rows else { return nil }
        return try Self.closure(row, walletRows, till: till)
    }

    /// Recomputes the day's figures from the ledger and compares them with the closure's.
    private static func figuresMatch(_ closure: DayClosure, range: StatementArguments, _ db: Database) throws -> Bool {
        let currency = closure.paid.currency.code
        var figures = DayFigures()
        for row in try Row.fetchAll(db, sql: countsByStatusSQL, arguments: range) {
            figures.countsByStatus[row["status"]] = row["n"]
        }
        for row in try Row.fetchAll(db, sql: paidByWalletSQL, arguments: range + [currency]) {
            figures.paidByWallet[row["wallet"]] = (row["n"], row["total"])
        }
        for row in try Row.fetchAll(db, sql: refundedByWalletSQL, arguments: range + [currency]) {
            figures.refundedByWallet[row["wallet"]] = (row["n"], row["total"])
        }
        for row in try Row.fetchAll(db, sql: receivedByWalletSQL, arguments: range + [currency]) {
            figures.receivedByWallet[row["wallet"]] = row["total"]
        }
        return figures.match(closure)
    }

    private static func closure(_ row: Row, _ walletRows: [Row], till: String) throws(LedgerError) -> DayClosure {
        let day: String = row["day"]
        let what = "the closure of \(day)"
        // Totals may be zero (a day of declined sales), which an order's amount never is.
        let code: String = row["currency"]
        guard let currency = Currency(code: code), currency.code == code else {
            throw .corrupt("\(what) has currency \"\(code)\", which this till does not know")
        }
        let paid = Money(minorUnits: row["paid"], currency: currency)
        let refunded = Money(minorUnits: row["refunded"], currency: currency)
        // NULL: closed before the ledger kept the money received, which was then what was paid.
        let received = Money(minorUnits: row["received"] ?? paid.minorUnits, currency: currency)
        var wallets: [DayClosure.WalletTotals] = []
        for wallet in Wallet.allCases {
            guard let walletRow = walletRows.first(where: { ($0["wallet"] as String?) == wallet.rawValue }) else { continue }
            let walletPaid = Money(minorUnits: walletRow["paid"], currency: paid.currency)
            wallets.append(DayClosure.WalletTotals(
                wallet: wallet, paidCount: walletRow["paid_count"], paid: walletPaid,
                received: Money(minorUnits: walletRow["received"] ?? walletPaid.minorUnits, currency: paid.currency),
                refunded: Money(minorUnits: walletRow["refunded"], currency: paid.currency)))
        }
        return DayClosure(day: day, till: till, timeZone: row["time_zone"], start: Date(ledgerMillis: row["starts_at"]),
                          end: Date(ledgerMillis: row["ends_at"]), closedAt: Date(ledgerMillis: row["closed_at"]),
                          orderCount: row["order_count"], paidCount: row["paid_count"],
                          declinedCount: row["declined_count"], cancelledCount: row["cancelled_count"],
                          expiredCount: row["expired_count"], refundCount: row["refund_count"],
                          paid: paid, received: received, refunded: refunded, wallets: wallets)
    }
}
