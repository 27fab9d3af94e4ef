import CheckoutCore
import Foundation
import Ledger

extension DayReport {
    /// The ledger's record of this report as the day's Z, closed at `closedAt`; nil for a
    /// report built by hand (it has no `period` to check the ledger against).
    public func closure(closedAt: Date) -> DayClosure? {
        guard let period else { return nil }
        return DayClosure(
            day: day, timeZone: period.timeZone.identifier, start: period.start, end: period.end, closedAt: closedAt,
            orderCount: orderCount, paidCount: countsByStatus[.paid] ?? 0,
            declinedCount: countsByStatus[.declined] ?? 0, cancelledCount: countsByStatus[.cancelled] ?? 0,
            expiredCount: countsByStatus[.expired] ?? 0, refundCount: refundCount, paid: paid, received: received,
            refunded: refunded, wallets: wallets.map {
                DayClosure.WalletTotals(wallet: $0.wallet, paidCount: $0.count, paid: $0.paid, received: $0.received, refunded: $0.refunded)
            })
    }

    /// A Z report as the ledger kept it.
    public init(closure: DayClosure) {
        let zero = Money.zero(closure.paid.currency)
        let wallets = Wallet.allCases.map { wallet in
            closure.wallets.first { $0.wallet == wallet }.map {
                WalletTotals(wallet: wallet, count: $0.paidCount, paid: $0.paid, received: $0.received, refunded: $0.refunded)
            } ?? WalletTotals(wallet: wallet, count: 0, paid: zero, received: zero, refunded: zero)
        }
        var counts = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0, 0) })
        counts[.paid] = closure.paidCount
        counts[.declined] = closure.declinedCount
        counts[.cancelled] = closure.cancelledCount
        counts[.expired] = closure.expiredCount
        let period = TimeZone(identifier: closure.timeZone).flatMap { StoreDay(closure.day, timeZone: $0) }
        self.init(kind: .z, day: closure.day, wallets: wallets, paid: closure.paid, received: closure.received, refunded: closure.refunded,
                  net: closure.net, countsByStatus: counts, closedAt: closure.closedAt, period: period,
                  refundCount: closure.refundCount)
    }
}

extension Ledger {
    /// The X report for `day`: its orders and the refunds made in it (with the earlier days'
    /// orders they belong to, for their wallet), read now in one transaction. `closedAt` is
    /// set when the day already has a Z.
    public func dayReport(day: StoreDay, currency: Currency) throws(LedgerError) -> DayReport {
        let (orders, refunds) = try dayActivity(createdFrom: day.start, to: day.end)
        let closedAt = try dayClosure(day: day.text)?.closedAt
        return DayReport.make(.x, day: day, currency: currency, orders: orders, refunds: refunds, closedAt: closedAt)
    }

    /// Closes `day` (the Z report) with figures read now, and returns them.
    ///
    /// Throws what `closeDay(_: DayClosure)` throws: `.dayAlreadyClosed`, `.dayHasOpenOrders`
    /// (naming the orders to settle first) or `.dayChanged` (a sale landed meanwhile: try again).
    public func closeDay(_ day: StoreDay, currency: Currency, at now: Date) throws(LedgerError) -> DayReport {
        var report = try dayReport(day: day, currency: currency)
        if let closedAt = report.closedAt {
            throw .dayAlreadyClosed(day: day.text, closedAt: closedAt)
        }
        // Said here with the report's own list; the ledger checks again inside its transaction.
        if !report.openOrders.isEmpty {
            throw .dayHasOpenOrders(day: day.text, orders: report.openOrders)
        }
        report.kind = .z
        report.closedAt = now
        guard let closure = report.closure(closedAt: now) else { throw .dayChanged(day: day.text) }
        try closeDay(closure)
        return report
    }
}
