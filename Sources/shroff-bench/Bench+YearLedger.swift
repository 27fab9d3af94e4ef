import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Owner

/// A year of orders on one till: 100,000 orders over 365 days in Hong Kong, weekends twice as
/// busy and one day (the busiest) four times, 88% paid, 3% of the paid refunded. Built by the
/// bench in its folder with `Ledger.importHistory` (one transaction), then read the way the
/// till and `shroff orders` read it.
extension Bench {
    static let yearOrders = 100_000
    static let yearDays = 365
    static let yearTimeZone = TimeZone(identifier: "Asia/Hong_Kong")!
    /// 2025-01-01 00:00 in Hong Kong.
    static let yearStart = Date(timeIntervalSince1970: 1_735_660_800)
    static let busiestDay = 200

    /// A small fixed generator, so every run builds the same ledger.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct YearFigures {
        var build: Duration = .zero
        var fileMB: Double = 0
        var busiestDayOrders = 0
        var dayListing = Samples()
        var xReport = Samples()
        var zReport = Samples()
        var historyPage = Samples()
        var search = Samples()
        /// The same reads done the way the code before the year ledger did them.
        var oldDayListing = Samples()
        var oldSearch = Samples()
        var idleRSS: Double = 0
        var afterSearchRSS: Double = 0
    }

    static func yearLedger(in folder: URL) throws -> YearFigures {
        var figures = YearFigures()
        let path = folder.appendingPathComponent("year-ledger.sqlite").path
        let sample: Order, trade: String
        do {
            let (orders, refunds) = try yearOfOrders()
            let ledger = try SQLiteLedger(path: path)
            let clock = ContinuousClock()
            let start = clock.now
            try ledger.importHistory(orders: orders, refunds: refunds)
            figures.build = clock.now - start
            try ledger.close()
            sample = orders[orders.count / 3]
            let trades = orders.compactMap(\.gatewayTradeID)
            trade = trades[trades.count / 5]
            figures.busiestDayOrders = orders.count { dayIndex(of: $0.createdAt) == busiestDay }
        }
        figures.fileMB = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
        // The rows above are freed; what follows reads through a fresh ledger, as a till would.
        let ledger = try SQLiteLedger(path: path)
        defer { try? ledger.close() }
        let busiest = storeDay(busiestDay)
        let dayCount = figures.busiestDayOrders
        // The day's listing as `shroff orders` makes it: one query.
        figures.dayListing = try microbenchmark(runs: 100, warmUp: 3) {
            let listed = try ledger.listedOrders(createdFrom: busiest.start, to: busiest.end)
            guard listed.count == dayCount else { throw BenchFailure("the day listing lost orders") }
        }
        // Before: the day's orders, then one refunds query per paid order.
        figures.oldDayListing = try microbenchmark(runs: 20, warmUp: 1) {
            let orders = try ledger.orders(createdFrom: busiest.start, to: busiest.end)
            var refunded: Int64 = 0
            for order in orders where order.status == .paid {
                refunded += try ledger.refunds(for: order.id).filter { $0.status == .refunded }.map(\.amount.minorUnits).reduce(0, +)
            }
            guard orders.count == dayCount, refunded >= 0 else { throw BenchFailure("the old day listing lost orders") }
        }
        figures.xReport = try microbenchmark(runs: 100, warmUp: 3) {
            let report = try ledger.dayReport(day: busiest, currency: .hkd, tills: .till(ledger.till))
            guard report.orderCount == dayCount else { throw BenchFailure("the X report lost orders") }
        }
        // Z: each run closes another day, as each day is closed once.
        var day = 0
        figures.zReport = try microbenchmark(runs: 60, warmUp: 0) {
            day += 1
            let report = try ledger.closeDay(storeDay(day * 5), currency: .hkd, at: Date())
            guard report.kind == .z else { throw BenchFailure("the Z report did not close its day") }
        }
        // History: the first page, then 199 pages after it, newest first; 20 a page.
        var cursor: OrderCursor?
        figures.historyPage = try microbenchmark(runs: 200, warmUp: 0) {
            let page = try ledger.historyPage(after: cursor, limit: 20)
            guard page.count == 20 else { throw BenchFailure("a history page came short") }
            cursor = OrderCursor(after: page[page.count - 1].order)
        }
        figures.idleRSS = residentMB()
        // Searches over the whole history, the first page of each: a number, an amount, a
        // masked code's digits, a trade id, a number in a month, and one that finds nothing.
        let monthStart = storeDay(busiestDay - 15).start, monthEnd = storeDay(busiestDay + 15).end
        let searches: [OrderSearch] = [
            OrderSearch(typed: String(sample.id.rawValue.suffix(8)), currency: .hkd),
            OrderSearch(typed: sample.amount.decimalString, currency: .hkd),
            OrderSearch(typed: "6789", currency: .hkd),
            OrderSearch(typed: trade, currency: .hkd),
            OrderSearch(typed: String(sample.id.rawValue.suffix(6)), currency: .hkd, createdFrom: monthStart, createdBefore: monthEnd),
            OrderSearch(typed: "ZZZZZZZZ", currency: .hkd),
        ]
        var which = 0
        figures.search = try microbenchmark(runs: 120, warmUp: 6) {
            let found = try ledger.historyPage(searches[which % searches.count], limit: 20)
            if which % searches.count == 0, !found.contains(where: { $0.order.id == sample.id }) {
                throw BenchFailure("a search by order number missed the order")
            }
            which += 1
        }
        figures.afterSearchRSS = residentMB()
        // Before: a search loaded every order since the beginning, kept those whose number
        // contains the text, sorted them, and read each one's refunds.
        let term = String(sample.id.rawValue.suffix(8))
        figures.oldSearch = try microbenchmark(runs: 5, warmUp: 0) {
            let found = try ledger.orders(createdFrom: .distantPast, to: Date().addingTimeInterval(1))
                .filter { $0.id.rawValue.localizedCaseInsensitiveContains(term) }
                .sorted { $0.createdAt > $1.createdAt }
            for order in found { _ = try ledger.refunds(for: order.id).filter { $0.status != .failed } }
            guard found.contains(where: { $0.id == sample.id }) else { throw BenchFailure("the old search missed the order") }
        }
        return figures
    }

    static func storeDay(_ index: Int) -> StoreDay {
        StoreDay.containing(yearStart.addingTimeInterval(Double(index) * 86_400 + 3600), in: yearTimeZone)
    }

    static func dayIndex(of date: Date) -> Int { Int(date.timeIntervalSince(yearStart) / 86_400) }

    /// The year's orders (all settled) and refunds, the same every run.
    static func yearOfOrders() throws -> (orders: [Order], refunds: [Refund]) {
        var random = SplitMix(state: 2025)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = yearTimeZone
        formatter.dateFormat = "yyMMddHHmmss"  // order numbers carry the local time
        let weights = (0..<yearDays).map { day in day == busiestDay ? 4 : (day % 7 == 3 || day % 7 == 4 ? 2 : 1) }
        let total = weights.reduce(0, +)
        var orders: [Order] = []
        orders.reserveCapacity(yearOrders)
        var refunds: [Refund] = []
        for day in 0..<yearDays {
            let count = day == yearDays - 1 ? yearOrders - orders.count : yearOrders * weights[day] / total
            let opens = yearStart.addingTimeInterval(Double(day) * 86_400 + 9 * 3600)  // 09:00 to 21:00
            for n in 0..<count {
                let at = opens.addingTimeInterval(Double(n) * 43_200 / Double(count) + Double.random(in: 0..<1, using: &random))
                let atMillis = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
                let id = OrderID.generate(localTimestamp: formatter.string(from: atMillis), using: &random)
                let roll = Int.random(in: 0..<100, using: &random)
                let status: OrderStatus = roll < 88 ? .paid : roll < 94 ? .declined : roll < 97 ? .cancelled : .expired
                let amount = Money(minorUnits: Int64.random(in: 1_000...80_000, using: &random), currency: .hkd)
                let code = String(format: "13%02d**********%04d", Int.random(in: 0...99, using: &random), Int.random(in: 0...9999, using: &random))
                let trade = status == .paid ? String(format: "4200%020d", UInt64.random(in: 0..<1_000_000_000_000, using: &random)) : nil
                let order = Order(id: id, provider: "wantu", method: roll % 2 == 0 ? .scan : .qr,
                                  wallet: Int.random(in: 0..<3, using: &random) == 0 ? .alipay : .wechat, amount: amount,
                                  subject: "Milk tea", status: status, maskedCode: code, gatewayTradeID: trade,
                                  createdAt: atMillis, updatedAt: atMillis.addingTimeInterval(3))
                orders.append(order)
                if status == .paid, Int.random(in: 0..<100, using: &random) < 3 {
                    let part = Int.random(in: 0..<2, using: &random) == 0 ? amount
                        : Money(minorUnits: amount.minorUnits / 2, currency: .hkd)
                    let when = atMillis.addingTimeInterval(Double(Int.random(in: 60...(3 * 86_400), using: &random)))
                    refunds.append(Refund(id: RefundID(order: id, sequence: 1), orderID: id, amount: part, reason: "returned",
                                          status: .refunded, gatewayRefundID: "R\(refunds.count)", createdAt: when, updatedAt: when))
                }
            }
        }
        return (orders, refunds)
    }

    /// This process's resident memory now (VmRSS), in MB; 0 where /proc is missing.
    static func residentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kB = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kB / 1024
    }
}
