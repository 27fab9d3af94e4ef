import CheckoutCore
import Foundation
import Ledger

extension DayReport {
    /// The ledger's record of this report as one till's Z, closed at `closedAt`; nil for a
    /// report built by hand (it has no `period` to check the ledger against) or one that
    /// covers every till (each till closes its own day).
    public func closure(closedAt: Date) -> DayClosure? {
        guard let period, case .till(let till) = tills else { return nil }
        return DayClosure(
            day: day, till: till, timeZone: period.timeZone.identifier, start: period.start, end: period.end, closedAt: closedAt,
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
        tills = closure.till.map { .till($0) } ?? .allTills
        tillNames = closure.till.map { [$0] } ?? []
    }
}

extension Ledger {
    /// The X report for `day` of `tills`: their orders and the refunds of them made in the day
    /// (with the earlier days' orders they belong to, for their wallet), read now in one
    /// transaction. `closedAt` is set when the day already has a Z: the till's, or, for every
    /// till, once each has closed it (the last closing). Throws `.unknownTill` for a till the
    /// store has never used.
    public func dayReport(day: StoreDay, currency: Currency, tills: TillScope) throws(LedgerError) -> DayReport {
        let known = try self.tills()
        let names: [String]
        switch tills {
        case .till(let name):
            guard known.contains(name) else { throw .unknownTill(name, known: known) }
            names = [name]
        case .allTills:
            names = known
        }
        let (orders, refunds) = try dayActivity(createdFrom: day.start, to: day.end, tills: tills)
        var closings: [Date] = []
        for name in names {
            if let closure = try dayClosure(day: day.text, till: name) { closings.append(closure.closedAt) }
        }
        let closedAt = closings.count == names.count ? closings.max() : nil
        var report = DayReport.make(.x, day: day, currency: currency, orders: orders, refunds: refunds, closedAt: closedAt)
        report.tills = tills
        report.tillNames = names
        return report
    }

    /// Closes this till's `day` (the Z report) with figures read now, and returns them. Each
    /// till closes its own day, as each counts its own drawer.
    ///
    /// Throws what `closeDay(_: DayClosure)` throws: `.dayAlreadyClosed`, `.dayHasOpenOrders`
    /// (naming the orders to settle first) or `.dayChanged` (a sale landed meanwhile: try again).
    public func closeDay(_ day: StoreDay, currency: Currency, at now: Date) throws(LedgerError) -> DayReport {
        var report = try dayReport(day: day, currency: currency, tills: .till(till))
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
