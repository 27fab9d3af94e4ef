import CheckoutCore
import Foundation
import GRDB

/// A closed day: the figures of a Z report as the ledger keeps them, written once.
///
/// The figures cover the orders created in `start ..< end` (one calendar day in the store's
/// time zone) and the refunds made that day, whichever day their order was. The ledger checks them against its own orders
/// when the day is closed, so a stored closure always matches the orders it names.
public struct DayClosure: Sendable, Equatable {
    /// What one wallet took on the day.
    public struct WalletTotals: Sendable, Equatable {
        public var wallet: Wallet
        /// Paid orders.
        public var paidCount: Int
        public var paid: Money
        /// The money that came in for the day's orders (see `DayClosure.received`).
        public var received: Money
        /// Confirmed refunds of the day's orders.
        public var refunded: Money

        /// `received` defaults to `paid`.
        public init(wallet: Wallet, paidCount: Int, paid: Money, received: Money? = nil, refunded: Money) {
            self.wallet = wallet
            self.paidCount = paidCount
            self.paid = paid
            self.received = received ?? paid
            self.refunded = refunded
        }
    }

    /// The calendar day, "yyyy-MM-dd", in `timeZone`.
    public var day: String
    /// The store's IANA time zone ("Asia/Hong_Kong").
    public var timeZone: String
    /// The day's first instant and the next day's first instant.
    public var start: Date
    public var end: Date
    public var closedAt: Date
    /// Every order created in the day, whatever its status.
    public var orderCount: Int
    public var paidCount: Int
    public var declinedCount: Int
    public var cancelledCount: Int
    public var expiredCount: Int
    /// Confirmed refunds of the day's orders.
    public var refundCount: Int
    public var paid: Money
    /// The money that came in for the day's orders: what paid orders received (a paid order's
    /// amount unless the gateway reported another figure), and what came in for orders that
    /// are not paid (an underpayment, a payment after close). A day closed before the ledger
    /// kept it reads as `paid`.
    public var received: Money
    public var refunded: Money
    /// One entry per wallet, in `Wallet.allCases` order.
    public var wallets: [WalletTotals]

    public var net: Money { paid - refunded }

    public init(day: String, timeZone: String, start: Date, end: Date, closedAt: Date, orderCount: Int,
                paidCount: Int, declinedCount: Int, cancelledCount: Int, expiredCount: Int, refundCount: Int,
                paid: Money, received: Money? = nil, refunded: Money, wallets: [WalletTotals]) {
        self.day = day
        self.timeZone = timeZone
        self.start = start
        self.end = end
        self.closedAt = closedAt
        self.orderCount = orderCount
        self.paidCount = paidCount
        self.declinedCount = declinedCount
        self.cancelledCount = cancelledCount
        self.expiredCount = expiredCount
        self.refundCount = refundCount
        self.paid = paid
        self.received = received ?? paid
        self.refunded = refunded
        self.wallets = wallets
    }
}

extension Ledger {
    /// Closes a day (the Z report), in one transaction.
    ///
    /// Refuses with `.dayAlreadyClosed` when the day has a closure already, with
    /// `.dayHasOpenOrders` (naming them) while any order of the day, or a refund of one, is
    /// pending or unknown, and with `.dayChanged` when the closure's counts or totals no longer
    /// match the ledger's orders and refunds for `start ..< end` (a sale was made or settled
    /// after the report was computed). Nothing is written when it refuses.
    @discardableResult
    public func closeDay(_ closure: DayClosure) throws(LedgerError) -> DayClosure {
        guard closure.end > closure.start else { throw .corrupt("day \(closure.day) ends before it starts") }
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

    /// The closure of `day` ("yyyy-MM-dd"), or nil while the day is open.
    public func dayClosure(day: String) throws(LedgerError) -> DayClosure? {
        let rows = try read { db -> (Row, [Row])? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM day_closures WHERE day = ?", arguments: [day]) else {
                return nil
            }
            let wallets = try Row.fetchAll(db, sql: "SELECT * FROM day_closure_wallets WHERE day = ?", arguments: [day])
            return (row, wallets)
        }
        guard let (row, walletRows) = rows else { return nil }
        return try Self.closure(row, walletRows)
    }

    /// Recomputes the day's figures from the ledger and compares them with the closure's.
    private static func figuresMatch(_ closure: DayClosure, range: StatementArguments, _ db: Database) throws -> Bool {
        let currency = closure.paid.currency.code
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: countsByStatusSQL, arguments: range) {
            counts[row["status"]] = row["n"]
        }
        let orderCount = counts.values.reduce(0, +)
        guard orderCount == closure.orderCount, counts["paid", default: 0] == closure.paidCount,
              counts["declined", default: 0] == closure.declinedCount,
              counts["cancelled", default: 0] == closure.cancelledCount,
              counts["expired", default: 0] == closure.expiredCount else { return false }

        var paidByWallet: [String: (count: Int, paid: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: paidByWalletSQL, arguments: range + [currency]) {
            paidByWallet[row["wallet"]] = (row["n"], row["total"])
        }
        var refundedByWallet: [String: (count: Int, refunded: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: refundedByWalletSQL, arguments: range + [currency]) {
            refundedByWallet[row["wallet"]] = (row["n"], row["total"])
        }
        var receivedByWallet: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: receivedByWalletSQL, arguments: range + [currency]) {
            receivedByWallet[row["wallet"]] = row["total"]
        }
        let paid = paidByWallet.values.reduce(0) { $0 + $1.paid }
        let refunded = refundedByWallet.values.reduce(0) { $0 + $1.refunded }
        let refundCount = refundedByWallet.values.reduce(0) { $0 + $1.count }
        guard paid == closure.paid.minorUnits, refunded == closure.refunded.minorUnits,
              receivedByWallet.values.reduce(0, +) == closure.received.minorUnits,
              refundCount == closure.refundCount else { return false }
        for totals in closure.wallets {
            let stored = paidByWallet[totals.wallet.rawValue] ?? (0, 0)
            let back = refundedByWallet[totals.wallet.rawValue]?.refunded ?? 0
            guard stored.count == totals.paidCount, stored.paid == totals.paid.minorUnits,
                  (receivedByWallet[totals.wallet.rawValue] ?? 0) == totals.received.minorUnits,
                  back == totals.refunded.minorUnits else { return false }
        }
        return true
    }

    private static func closure(_ row: Row, _ walletRows: [Row]) throws(LedgerError) -> DayClosure {
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
        return DayClosure(day: day, timeZone: row["time_zone"], start: Date(ledgerMillis: row["starts_at"]),
                          end: Date(ledgerMillis: row["ends_at"]), closedAt: Date(ledgerMillis: row["closed_at"]),
                          orderCount: row["order_count"], paidCount: row["paid_count"],
                          declinedCount: row["declined_count"], cancelledCount: row["cancelled_count"],
                          expiredCount: row["expired_count"], refundCount: row["refund_count"],
                          paid: paid, received: received, refunded: refunded, wallets: wallets)
    }
}
