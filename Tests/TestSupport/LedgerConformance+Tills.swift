import CheckoutCore
import Foundation
import Ledger

/// The rules of `TillScope`: every order belongs to the till that recorded it, a refund counts
/// with its order's till, and each till closes its own day. On a ledger that is one till's
/// book, every order is that till's and another name covers nothing.
extension LedgerConformance {
    static func tillListings(_ site: LedgerSite) throws -> [String] {
        let first = try site.open()
        defer { try? first.close() }
        guard let openTill = site.openTill else { return try oneTillListings(first) }
        let second = try openTill("counter-2")
        defer { try? second.close() }
        var problems: [String] = []
        let mine = try paid(1, in: first)
        let theirs = try paid(2, in: second)
        let declined = order(3, at: start + 1)
        try second.insert(declined)
        try second.updateOrder(declined.id, status: .declined, gatewayTradeID: nil, reason: "no", at: start + 3)
        // The second till refunds part of the first till's sale: it stays the first till's.
        let refund = try second.beginRefund(orderID: mine.id, amount: hkd(30_00), reason: "back", at: start + 50)
        try second.updateRefund(refund.id, status: .refunded, gatewayRefundID: "G1", reason: nil, at: start + 51)
        let open = order(4, at: start + 2)
        try second.insert(open)

        let names = [first.till, second.till].sorted()
        if try first.tills() != names || second.tills() != names { problems.append("the store's tills read \(try first.tills())") }
        let own = try first.listedOrders(createdFrom: start, to: start + 100, tills: .till(first.till))
        if own.map(\.order.id) != [mine.id] || own.map(\.till) != [first.till] {
            problems.append("the first till lists \(own.map(\.order.id.rawValue)) as \(own.map(\.till))")
        }
        let other = try first.listedOrders(createdFrom: start, to: start + 100, tills: .till(second.till))
        if Set(other.map(\.order.id)) != [theirs.id, declined.id, open.id] || Set(other.map(\.till)) != [second.till] {
            problems.append("another till's listing reads \(other.map(\.order.id.rawValue))")
        }
        let all = try second.listedOrders(createdFrom: start, to: start + 100, tills: .allTills)
        let tillOf = Dictionary(uniqueKeysWithValues: all.map { ($0.order.id, $0.till) })
        if tillOf != [mine.id: first.till, theirs.id: second.till, declined.id: second.till, open.id: second.till] {
            problems.append("all tills list \(tillOf.count) orders, or with the wrong tills")
        }
        if try first.listedOrders(createdFrom: start, to: start + 100, tills: .till("counter-9")) != [] {
            problems.append("a till that never sold lists orders")
        }
        let firstDay = try first.dayActivity(createdFrom: start, to: start + 86_400, tills: .till(first.till))
        if firstDay.orders.map(\.id) != [mine.id] || firstDay.refunds.map(\.id) != [refund.id] {
            problems.append("the first till's day has \(firstDay.orders.count) orders, \(firstDay.refunds.count) refunds")
        }
        let secondDay = try first.dayActivity(createdFrom: start, to: start + 86_400, tills: .till(second.till))
        if secondDay.orders.count != 3 || !secondDay.refunds.isEmpty {
            problems.append("a refund counted with the till that sent it, or the second till's day has \(secondDay.orders.count) orders")
        }
        if try first.openOrderIDs(createdFrom: start, to: start + 86_400, tills: .till(first.till)) != []
            || first.openOrderIDs(createdFrom: start, to: start + 86_400, tills: .till(second.till)) != [open.id]
            || first.openOrderIDs(createdFrom: start, to: start + 86_400, tills: .allTills) != [open.id] {
            problems.append("open orders are not their till's")
        }
        return problems
    }

    private static func oneTillListings(_ ledger: any Ledger) throws -> [String] {
        var problems: [String] = []
        let sold = try paid(1, in: ledger)
        let open = order(2, at: start + 1)
        try ledger.insert(open)
        if try ledger.tills() != [ledger.till] { problems.append("a one-till ledger names tills \(try ledger.tills())") }
        let own = try ledger.listedOrders(createdFrom: start, to: start + 100, tills: .till(ledger.till))
        if own.map(\.order.id) != [open.id, sold.id] || Set(own.map(\.till)) != [ledger.till] {
            problems.append("the till's own listing reads \(own.map(\.order.id.rawValue)) as \(Set(own.map(\.till)))")
        }
        if try ledger.listedOrders(createdFrom: start, to: start + 100, tills: .allTills) != own {
            problems.append("all tills of a one-till ledger list differently from the till")
        }
        if try ledger.listedOrders(createdFrom: start, to: start + 100, tills: .till("counter-9")) != []
            || ledger.openOrderIDs(createdFrom: start, to: start + 100, tills: .till("counter-9")) != [] {
            problems.append("a till that never sold lists orders")
        }
        if try ledger.openOrderIDs(createdFrom: start, to: start + 100, tills: .allTills) != [open.id] {
            problems.append("all tills' open orders are not the till's")
        }
        return problems
    }

    /// A closure of one till's day (`start ..< start + 1 day`) with figures given by hand, every sale WeChat.
    static func tillClosure(_ till: String?, orders: Int, paid: Int64, paidCount: Int, refunded: Int64 = 0,
                            refundCount: Int = 0) -> DayClosure {
        DayClosure(day: "2025-06-15", till: till, timeZone: "Asia/Hong_Kong", start: start, end: start + 86_400,
                   closedAt: start + 90_000, orderCount: orders, paidCount: paidCount, declinedCount: orders - paidCount,
                   cancelledCount: 0, expiredCount: 0, refundCount: refundCount, paid: hkd(paid), refunded: hkd(refunded),
                   wallets: [.init(wallet: .wechat, paidCount: paidCount, paid: hkd(paid), refunded: hkd(refunded))])
    }

    static func tillDays(_ site: LedgerSite) throws -> [String] {
        let first = try site.open()
        defer { try? first.close() }
        var problems: [String] = []
        guard let openTill = site.openTill else {
            let sold = try paid(1, in: first)
            if !refuses({ _ = try first.closeDay(tillClosure("counter-9", orders: 1, paid: sold.amount.minorUnits, paidCount: 1)) },
                        with: { if case .unknownTill = $0 { true } else { false } }) {
                problems.append("a one-till ledger closed another till's day")
            }
            try first.closeDay(tillClosure(nil, orders: 1, paid: 100_00, paidCount: 1))
            if try first.dayClosure(day: "2025-06-15", till: first.till)?.till != first.till {
                problems.append("the till's closure does not read back as the till's")
            }
            return problems
        }
        let second = try openTill("counter-2")
        defer { try? second.close() }
        let mine = try paid(1, in: first)
        _ = try paid(2, in: second, amount: hkd(50_00))
        let declined = order(3, at: start + 1)
        try second.insert(declined)
        try second.updateOrder(declined.id, status: .declined, gatewayTradeID: nil, reason: "no", at: start + 3)
        let refund = try second.beginRefund(orderID: mine.id, amount: hkd(30_00), reason: "back", at: start + 50)
        try second.updateRefund(refund.id, status: .refunded, gatewayRefundID: "G1", reason: nil, at: start + 51)

        let firstClosure = tillClosure(first.till, orders: 1, paid: 100_00, paidCount: 1, refunded: 30_00, refundCount: 1)
        let secondClosure = tillClosure(second.till, orders: 2, paid: 50_00, paidCount: 1)
        // The whole store's figures are no till's: closing a till with them is refused.
        if !refuses({ _ = try first.closeDay(tillClosure(first.till, orders: 3, paid: 150_00, paidCount: 2, refunded: 30_00,
                                                         refundCount: 1)) },
                    with: { if case .dayChanged = $0 { true } else { false } }) {
            problems.append("a till's day closed with the store's figures")
        }
        let ledgers = [first, second]
        let closures = [firstClosure, secondClosure]
        let results = atOnce(2) { index -> String? in
            do {
                try ledgers[index].closeDay(closures[index])
                return nil
            } catch {
                return "\(error)"
            }
        }
        for case let failure? in results { problems.append("a till closing its day beside another failed: \(failure)") }
        if try first.dayClosure(day: "2025-06-15", till: first.till) != firstClosure
            || first.dayClosure(day: "2025-06-15", till: second.till) != secondClosure {
            problems.append("the tills' closures read back differently")
        }
        if !refuses({ _ = try second.closeDay(firstClosure) },
                    with: { if case .dayAlreadyClosed = $0 { true } else { false } }) {
            problems.append("a till's day was closed twice")
        }
        if !refuses({ _ = try second.closeDay(tillClosure("counter-9", orders: 0, paid: 0, paidCount: 0)) },
                    with: { if case .unknownTill = $0 { true } else { false } }) {
            problems.append("the day of a till the store never had was closed")
        }
        return problems
    }
}
