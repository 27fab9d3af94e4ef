import CheckoutCore
import Foundation

/// A closed day of one till: the figures of a Z report as the ledger keeps them, written once.
///
/// The figures cover the orders the till recorded in `start ..< end` (one calendar day in the
/// store's time zone) and the refunds made that day of its orders, whichever day their order
/// was and whichever till sent them (`TillScope`). The ledger checks them against its own
/// orders when the day is closed, so a stored closure always matches the orders it names, and
/// each till's drawer is counted once: two tills' closures never share an order or a refund.
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
    /// The till whose day this is; nil for a day closed for every till of the store at once
    /// (a PostgreSQL ledger's closures made before each till closed its own day).
    public var till: String?
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

    public init(day: String, till: String?, timeZone: String, start: Date, end: Date, closedAt: Date, orderCount: Int,
                paidCount: Int, declinedCount: Int, cancelledCount: Int, expiredCount: Int, refundCount: Int,
                paid: Money, received: Money? = nil, refunded: Money, wallets: [WalletTotals]) {
        self.day = day
        self.till = till
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

/// A day's figures as a ledger recomputes them when closing it, to check a closure against
/// (keys are the stored status and wallet names).
package struct DayFigures {
    package var countsByStatus: [String: Int] = [:]
    package var paidByWallet: [String: (count: Int, paid: Int64)] = [:]
    package var refundedByWallet: [String: (count: Int, refunded: Int64)] = [:]
    package var receivedByWallet: [String: Int64] = [:]

    package init() {}

    /// True when `closure` says exactly what these figures say.
    package func match(_ closure: DayClosure) -> Bool {
        let orderCount = countsByStatus.values.reduce(0, +)
        guard orderCount == closure.orderCount, countsByStatus["paid", default: 0] == closure.paidCount,
              countsByStatus["declined", default: 0] == closure.declinedCount,
              countsByStatus["cancelled", default: 0] == closure.cancelledCount,
              countsByStatus["expired", default: 0] == closure.expiredCount else { return false }

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
}
