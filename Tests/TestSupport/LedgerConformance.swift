import CheckoutCore
import Foundation
import Ledger

/// One ledger to check, as a backend's test target makes it: a new, empty ledger that any
/// number of processes can open (`open`, each call a process of its own: its own
/// connection, its own owner), and, where the ledger is shared by several tills, a way to
/// open it as another till.
public struct LedgerSite: Sendable {
    /// Opens the ledger as one more process of the first till would.
    public let open: @Sendable () throws -> any Ledger
    /// Opens the ledger as a process of the till named by the argument; nil for a ledger
    /// that is one till's book (SQLite).
    public let openTill: (@Sendable (String) throws -> any Ledger)?

    public init(open: @escaping @Sendable () throws -> any Ledger,
                openTill: (@Sendable (String) throws -> any Ledger)? = nil) {
        self.open = open
        self.openTill = openTill
    }
}

/// The rules written on `Ledger`, as checks every backend's tests run (`LedgerConformance.rules`,
/// one test per rule and backend). Each check returns the rules broken, in words; an empty
/// list is a pass. The suite knows nothing of SQL or of any backend.
public struct LedgerConformanceRule: Sendable, CustomStringConvertible {
    public let description: String
    let check: @Sendable (LedgerSite) throws -> [String]

    /// The rules broken on `site`, a new ledger no other check uses.
    public func problems(_ site: LedgerSite) throws -> [String] { try check(site) }
}

public enum LedgerConformance {
    public static let rules: [LedgerConformanceRule] = [
        LedgerConformanceRule(description: "an order is committed before its request leaves", check: committedBeforeSending),
        LedgerConformanceRule(description: "a paid order stays paid", check: paidStaysPaid),
        LedgerConformanceRule(description: "a notification is applied once, in one transaction", check: notificationAppliedOnce),
        LedgerConformanceRule(description: "two tills applying one notification at once apply it once", check: notificationRace),
        LedgerConformanceRule(description: "refunds never exceed what was paid", check: refundsWithinPaid),
        LedgerConformanceRule(description: "two tills refunding one order at once never over-refund", check: refundRace),
        LedgerConformanceRule(description: "an open order belongs to its live till; a dead till's is taken over", check: ownership),
        LedgerConformanceRule(description: "a refund being sent belongs to its till until it lets go", check: refundOwnership),
        LedgerConformanceRule(description: "the ledger keeps its identity, and opening it again migrates nothing", check: identity),
        LedgerConformanceRule(description: "many processes opening a new ledger at once all open it", check: concurrentOpen),
        LedgerConformanceRule(description: "a day closes once, with figures that match its orders", check: dayClosure),
        LedgerConformanceRule(description: "listings and history pages read what was written", check: listings),
        LedgerConformanceRule(description: "a pay link opens its credential only while its order is pending and before it expires", check: payLinks),
        LedgerConformanceRule(description: "each order lists with its till; a listing or a day covers the tills asked for", check: tillListings),
        LedgerConformanceRule(description: "each till closes its own day: two tills closing at once count every order once", check: tillDays),
    ]

    // MARK: Fixtures

    static let start = Date(timeIntervalSince1970: 1_750_000_000.123)

    static func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }

    static func order(_ number: Int, amount: Money = hkd(100_00), provider: String = "wantu", at: Date = start) -> Order {
        let id = try! OrderID(String(format: "S250615%012d", number))
        return Order(id: id, provider: provider, method: .scan, wallet: .wechat, amount: amount, subject: "Two coffees",
                     status: .pending, maskedCode: "1345********6789", createdAt: at)
    }

    static func paid(_ number: Int, in ledger: any Ledger, amount: Money = hkd(100_00)) throws -> Order {
        let order = order(number, amount: amount)
        try ledger.insert(order)
        return try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "T\(number)", reason: nil, at: start + 2)
    }

    /// Runs `body` on `count` threads released together, and returns what each returned.
    static func atOnce<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = ResultBox<T>(count)
        let ready = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<count {
            ready.enter()
            done.enter()
            Thread.detachNewThread {
                ready.leave()
                go.wait()
                results.set(index, body(index))
                done.leave()
            }
        }
        ready.wait()
        for _ in 0..<count { go.signal() }
        done.wait()
        return results.values
    }

    final class ResultBox<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [T?]
        init(_ count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }
        var values: [T] { lock.withLock { slots.map { $0! } } }
    }

    /// True when `body` throws a ledger error that `expected` accepts; false when it returns
    /// or throws anything else.
    static func refuses(_ body: () throws -> Void, with expected: (LedgerError) -> Bool) -> Bool {
        do {
            try body()
            return false
        } catch let error as LedgerError {
            return expected(error)
        } catch {
            return false
        }
    }

    // MARK: The rules

    static func committedBeforeSending(_ site: LedgerSite) throws -> [String] {
        let till = try site.open()
        let other = try site.open()
        defer { try? till.close(); try? other.close() }
        let order = Self.order(1)
        try till.insert(order)
        // Once `insert` returns the order is durable and visible to any other process: the
        // request may leave. Another process reads it at once.
        var problems: [String] = []
        guard let seen = try other.order(order.id) else { return ["another process does not see an order once insert returned"] }
        if seen.status != .pending || seen.amount != order.amount { problems.append("another process reads \(seen.status) \(seen.amount)") }
        if seen.owner != till.ownerID { problems.append("the order's owner is \(seen.owner ?? "none"), not the till that recorded it") }
        if try other.events(for: order.id).map(\.kind) != [.created] { problems.append("the order has no single `created` event") }
        if !refuses({ _ = try other.insert(order) },
                    with: { $0 == .duplicateOrder(order.id) }) {
            problems.append("the same order number was recorded twice")
        }
        var zero = Self.order(2)
        zero.amount = hkd(0)
        if !refuses({ _ = try till.insert(zero) },
                    with: { if case .amountNotPositive = $0 { true } else { false } }) {
            problems.append("an order of zero was recorded")
        }
        if try other.order(zero.id) != nil { problems.append("a refused order is in the ledger") }
        return problems
    }

    static func payLinks(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        let token = "q7Vn0xZkR2mB9sLcW4tYhA", credential = "https://mapi.alipay.com/gateway.do?out_trade_no=ch_1&sign=abc"
        let open = order(1)
        try ledger.insert(open)
        try ledger.recordPayLink(token: token, order: open.id, credential: credential, expiresAt: start + 180, at: start)
        var problems: [String] = []
        if try ledger.payLinkCredential(token: token, at: start + 10) != credential { problems.append("a pending order's link did not open") }
        if try ledger.payLinkCredential(token: token, at: start + 180) != nil { problems.append("a link opened at its expiry") }
        if try ledger.payLinkCredential(token: "AAAAAAAAAAAAAAAAAAAAAA", at: start + 10) != nil { problems.append("an unknown token opened") }
        if try ledger.events(for: open.id).contains(where: { $0.detail.contains(token) }) { problems.append("an event names the token") }
        if !refuses({ try ledger.recordPayLink(token: token, order: open.id, credential: "x", expiresAt: start + 180, at: start) }, with: { _ in true }) {
            problems.append("a second link was recorded under the same token")
        }
        _ = try ledger.updateOrder(open.id, status: .paid, gatewayTradeID: "T1", reason: nil, at: start + 20)
        if try ledger.payLinkCredential(token: token, at: start + 30) != nil { problems.append("a paid order's link still opened") }
        let missing = order(2)
        if !refuses({ try ledger.recordPayLink(token: "bbbbbbbbbbbbbbbbbbbbbb", order: missing.id, credential: "x", expiresAt: start + 180, at: start) },
                    with: { $0 == .orderNotFound(missing.id) }) {
            problems.append("a link was recorded for an order not in the ledger")
        }
        return problems
    }

    static func paidStaysPaid(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        let order = try paid(1, in: ledger)
        var problems: [String] = []
        if order.received != order.amount { problems.append("a paid order received \(order.received.map(String.init(describing:)) ?? "nothing")") }
        if !refuses({ _ = try ledger.updateOrder(order.id, status: .declined, gatewayTradeID: nil, reason: "late decline", at: start + 3) },
                    with: { $0 == .orderIsFinal(order.id, status: .paid, requested: .declined) }) {
            problems.append("a paid order became declined")
        }
        let again = try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "T-other", reason: nil, at: start + 4)
        if again.status != .paid || again.gatewayTradeID != "T1" { problems.append("a second paid changed the order: \(again)") }
        if try ledger.order(order.id)?.status != .paid { problems.append("the order is no longer paid") }
        let events = try ledger.events(for: order.id).map(\.kind)
        if events != [.created, .status, .status] { problems.append("events \(events), not created, status, status") }
        return problems
    }

    static func notification(_ order: Order, trade: String = "T-N1") -> LedgerNotification {
        let confirmation = PaymentConfirmation(gatewayTradeID: trade, amount: order.amount, received: order.amount)
        return LedgerNotification(orderID: order.id, provider: order.provider, verdict: .paid(confirmation),
                                  body: "{\"trade\":\"\(trade)\",\"code\":\"134567890123456789\"}", at: start + 5)
    }

    static func notificationAppliedOnce(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        let order = Self.order(1)
        try ledger.insert(order)
        var problems: [String] = []
        let first = try ledger.applyNotification(notification(order))
        let second = try ledger.applyNotification(notification(order))
        if first != .applied(.paid) { problems.append("the first notification gave \(first)") }
        if second != .duplicate { problems.append("the same notification again gave \(second)") }
        let stored = try ledger.order(order.id)
        if stored?.status != .paid || stored?.gatewayTradeID != "T-N1" { problems.append("the order reads \(String(describing: stored))") }
        let events = try ledger.events(for: order.id)
        if events.filter({ $0.kind == .notification }).count != 1 { problems.append("\(events.count - 1) notification events, not one") }
        if events.contains(where: { $0.detail.contains("134567890123456789") }) { problems.append("a full payment code reached the event log") }
        // A notification that does not match changes nothing at all.
        var wrong = notification(Self.order(2), trade: "T-N2")
        try ledger.insert(Self.order(2))
        wrong.provider = "paymax"
        if !refuses({ _ = try ledger.applyNotification(wrong) },
                    with: { if case .notificationMismatch = $0 { true } else { false } }) {
            problems.append("a notification from another gateway was applied")
        }
        if try ledger.order(Self.order(2).id)?.status != .pending { problems.append("a refused notification changed the order") }
        if try ledger.events(for: Self.order(2).id).count != 1 { problems.append("a refused notification left an event") }
        return problems
    }

    static func notificationRace(_ site: LedgerSite) throws -> [String] {
        let setup = try site.open()
        defer { try? setup.close() }
        let order = Self.order(1)
        try setup.insert(order)
        let receivers = try (0..<4).map { _ in try site.open() }
        defer { for receiver in receivers { try? receiver.close() } }
        let outcomes = atOnce(receivers.count) { index -> String in
            do { return "\(try receivers[index].applyNotification(notification(order)))" } catch { return "error: \(error)" }
        }
        var problems: [String] = []
        if outcomes.filter({ $0 == "\(NotificationOutcome.applied(.paid))" }).count != 1 {
            problems.append("outcomes of one notification applied at once by four receivers: \(outcomes)")
        }
        if try setup.events(for: order.id).filter({ $0.kind == .notification }).count != 1 {
            problems.append("not exactly one notification event")
        }
        return problems
    }

    static func refundsWithinPaid(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        let order = try paid(1, in: ledger)
        var problems: [String] = []
        let first = try ledger.beginRefund(orderID: order.id, amount: hkd(60_00), reason: "returned", at: start + 10)
        if first.id.rawValue != "\(order.id)R1" || first.status != .pending { problems.append("the first refund is \(first.id) \(first.status)") }
        if !refuses({ _ = try ledger.beginRefund(orderID: order.id, amount: hkd(40_01), reason: "too much", at: start + 11) },
                    with: { $0 == .refundExceedsRemainder(requested: hkd(40_01), remaining: hkd(40_00)) }) {
            problems.append("a refund past what is left was begun")
        }
        try ledger.updateRefund(first.id, status: .failed, gatewayRefundID: nil, reason: "declined", at: start + 12)
        if try ledger.refundableRemainder(of: order.id) != hkd(100_00) { problems.append("a failed refund still counts") }
        let second = try ledger.beginRefund(orderID: order.id, amount: hkd(100_00), reason: "all", at: start + 13)
        if second.id.rawValue != "\(order.id)R2" { problems.append("the second refund is numbered \(second.id)") }
        try ledger.updateRefund(second.id, status: .refunded, gatewayRefundID: "G2", reason: nil, at: start + 14)
        if !refuses({ _ = try ledger.updateRefund(second.id, status: .failed, gatewayRefundID: nil, reason: nil, at: start + 15) },
                    with: { if case .refundIsFinal = $0 { true } else { false } }) {
            problems.append("a refunded refund became failed")
        }
        if try ledger.refundableRemainder(of: order.id) != hkd(0) { problems.append("something is left after refunding all") }
        let pending = Self.order(2)
        try ledger.insert(pending)
        if !refuses({ _ = try ledger.beginRefund(orderID: pending.id, amount: hkd(1_00), reason: "not paid", at: start + 16) },
                    with: { $0 == .orderNotPaid(.pending) }) {
            problems.append("an order not paid was refunded")
        }
        if try ledger.refunds(for: order.id).map(\.status) != [.failed, .refunded] { problems.append("refunds read back wrong") }
        if try !ledger.unresolvedRefunds().isEmpty { problems.append("a settled refund is unresolved") }
        return problems
    }

    static func refundRace(_ site: LedgerSite) throws -> [String] {
        let setup = try site.open()
        defer { try? setup.close() }
        let tills = try (0..<2).map { _ in try site.open() }
        defer { for till in tills { try? till.close() } }
        var problems: [String] = []
        for round in 1...8 {
            let order = try paid(round, in: setup)
            // Each till refunds 60 of 100 at the same moment: one may pass, never both.
            let results = atOnce(tills.count) { index -> Bool in
                (try? tills[index].beginRefund(orderID: order.id, amount: hkd(60_00), reason: "till \(index)", at: start + 20)) != nil
            }
            if results.filter({ $0 }).count != 1 { problems.append("round \(round): \(results.filter { $0 }.count) refunds of 60 of 100 passed") }
            let committed = try setup.refunds(for: order.id).reduce(0) { $0 + $1.amount.minorUnits }
            if committed > order.amount.minorUnits { problems.append("round \(round): \(committed) refunded of \(order.amount.minorUnits)") }
        }
        return problems
    }

    static func ownership(_ site: LedgerSite) throws -> [String] {
        let till = try site.open()
        let other = try site.open()
        defer { try? other.close() }
        let order = Self.order(1)
        try till.insert(order)
        var problems: [String] = []
        guard let owner = till.ownerID, owner != other.ownerID else { return ["two processes have the same owner name"] }
        let seen = try other.order(order.id)!
        if !other.isInProgressElsewhere(seen) { problems.append("a live till's open order is not in progress elsewhere") }
        if till.isInProgressElsewhere(seen) { problems.append("a till's own order is in progress elsewhere") }
        if try other.claim(order.id, at: start + 30) { problems.append("another till took over a live till's order") }
        if try !till.claim(order.id, at: start + 30) { problems.append("a till cannot claim its own order") }
        // The till's process ends: its session goes, and its open order may be taken over.
        try till.close()
        let after = try other.order(order.id)!
        if other.isInProgressElsewhere(after) { problems.append("a closed till's order is still in progress elsewhere") }
        if try !other.claim(order.id, at: start + 31) { problems.append("a closed till's order was not taken over") }
        let taken = try other.order(order.id)!
        if taken.owner != other.ownerID { problems.append("the taken-over order's owner is \(taken.owner ?? "none")") }
        let events = try other.events(for: order.id)
        if !events.contains(where: { $0.kind == .takenOver && $0.detail.contains(owner) }) { problems.append("no taken-over event names \(owner)") }
        // A final order needs no owner: claiming it changes nothing.
        try other.updateOrder(order.id, status: .cancelled, gatewayTradeID: nil, reason: nil, at: start + 32)
        if try !other.claim(order.id, at: start + 33) { problems.append("a final order cannot be claimed") }
        return problems
    }

    static func refundOwnership(_ site: LedgerSite) throws -> [String] {
        let till = try site.open()
        let other = try site.open()
        defer { try? other.close() }
        let order = try paid(1, in: till)
        let refund = try till.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "one", at: start + 40)
        var problems: [String] = []
        if try other.claimRefund(refund.id, at: start + 41) { problems.append("another till took a live till's refund") }
        try till.releaseRefund(refund.id)
        if try !other.claimRefund(refund.id, at: start + 42) { problems.append("a released refund cannot be claimed") }
        let second = try till.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "two", at: start + 43)
        try till.close()
        if try !other.claimRefund(second.id, at: start + 44) { problems.append("a closed till's refund was not taken over") }
        if !(try other.unresolvedRefunds().map(\.id)).contains(second.id) { problems.append("a pending refund is not unresolved") }
        return problems
    }

    static func identity(_ site: LedgerSite) throws -> [String] {
        let first = try site.open()
        try first.insert(Self.order(1))
        let identity = try first.identity()
        try first.close()
        let again = try site.open()
        defer { try? again.close() }
        var problems: [String] = []
        if identity == nil || identity == 0 { problems.append("a ledger has no identity") }
        if try again.identity() != identity { problems.append("the identity changed when the ledger was opened again") }
        if try again.order(Self.order(1).id) == nil { problems.append("an order was lost when the ledger was opened again") }
        return problems
    }

    static func concurrentOpen(_ site: LedgerSite) throws -> [String] {
        let opened = atOnce(6) { _ -> Result<String, LedgerError> in
            do {
                let ledger = try site.open()
                defer { try? ledger.close() }
                return .success(String(describing: try ledger.identity()))
            } catch let error as LedgerError {
                return .failure(error)
            } catch {
                return .failure(.corrupt("\(error)"))
            }
        }
        var problems: [String] = []
        let identities = Set(opened.compactMap { try? $0.get() })
        for case .failure(let error) in opened { problems.append("an open failed: \(error)") }
        if identities.count > 1 { problems.append("processes opening at once saw \(identities.count) identities") }
        return problems
    }

    static func dayClosure(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        let end = start + 86_400
        let sold = try paid(1, in: ledger)
        let refund = try ledger.beginRefund(orderID: sold.id, amount: hkd(30_00), reason: "one", at: start + 50)
        try ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "G1", reason: nil, at: start + 51)
        let open = Self.order(2)
        try ledger.insert(open)
        var closure = DayClosure(day: "2025-06-15", till: ledger.till, timeZone: "Asia/Hong_Kong", start: start, end: end, closedAt: start + 90_000,
                                 orderCount: 2, paidCount: 1, declinedCount: 1, cancelledCount: 0, expiredCount: 0,
                                 refundCount: 1, paid: hkd(100_00), refunded: hkd(30_00),
                                 wallets: [.init(wallet: .wechat, paidCount: 1, paid: hkd(100_00), refunded: hkd(30_00))])
        var problems: [String] = []
        if !refuses({ _ = try ledger.closeDay(closure) },
                    with: { $0 == .dayHasOpenOrders(day: "2025-06-15", orders: [open.id]) }) {
            problems.append("a day with an open order was closed")
        }
        try ledger.updateOrder(open.id, status: .declined, gatewayTradeID: nil, reason: nil, at: start + 60)
        var wrong = closure
        wrong.paid = hkd(99_00)
        if !refuses({ _ = try ledger.closeDay(wrong) },
                    with: { if case .dayChanged = $0 { true } else { false } }) {
            problems.append("a closure whose figures differ from the orders was stored")
        }
        try ledger.closeDay(closure)
        if try ledger.dayClosure(day: "2025-06-15") != closure { problems.append("the closure reads back differently") }
        closure.closedAt = start + 95_000
        if !refuses({ _ = try ledger.closeDay(closure) },
                    with: { if case .dayAlreadyClosed = $0 { true } else { false } }) {
            problems.append("a day was closed twice")
        }
        if try ledger.dayClosure(day: "2025-06-16") != nil { problems.append("an open day has a closure") }
        let activity = try ledger.dayActivity(createdFrom: start, to: end)
        if activity.orders.count != 2 || activity.refunds.count != 1 { problems.append("the day's activity is \(activity.orders.count) orders, \(activity.refunds.count) refunds") }
        return problems
    }

    static func listings(_ site: LedgerSite) throws -> [String] {
        let ledger = try site.open()
        defer { try? ledger.close() }
        var history: [Order] = []
        for number in 1...12 {
            var order = Self.order(number, amount: hkd(Int64(number) * 1_00), at: start + Double(number))
            order.status = number % 3 == 0 ? .declined : .paid
            order.gatewayTradeID = "TRADE\(number)"
            history.append(order)
        }
        try ledger.importHistory(orders: history, refunds: [])
        var problems: [String] = []
        let listed = try ledger.listedOrders(createdFrom: start, to: start + 100)
        if listed.map(\.order.id) != history.reversed().map(\.id) { problems.append("the day's listing is not newest first") }
        var pages: [OrderID] = []
        var cursor: OrderCursor?
        while true {
            let page = try ledger.historyPage(OrderSearch(), after: cursor, limit: 5)
            guard let last = page.last else { break }
            pages += page.map(\.order.id)
            cursor = OrderCursor(after: last.order)
        }
        if pages != history.reversed().map(\.id) { problems.append("history pages read \(pages.count) orders out of order") }
        if try ledger.historyPage(OrderSearch(typed: "trade7", currency: .hkd), limit: 5).map(\.order.id) != [history[6].id] {
            problems.append("a search by trade (any case) did not find its order")
        }
        if try ledger.historyPage(OrderSearch(typed: "5.00", currency: .hkd), limit: 5).map(\.order.id) != [history[4].id] {
            problems.append("a search by amount did not find its order")
        }
        if try ledger.historyPage(OrderSearch(typed: "100%", currency: .hkd), limit: 5).count != 0 { problems.append("a % matched as a wildcard") }
        if try ledger.orders(withStatus: [.declined]).count != 4 { problems.append("orders by status miscounted") }
        if try ledger.orderID(ofTrade: "TRADE8", provider: "wantu", since: start) != history[7].id { problems.append("an order was not found by its trade") }
        if try ledger.openOrderIDs(createdFrom: start, to: start + 100) != [] { problems.append("a settled day has open orders") }
        return problems
    }
}
