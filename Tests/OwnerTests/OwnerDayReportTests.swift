import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Owner
import Testing

private let hongKong = TimeZone(identifier: "Asia/Hong_Kong")!
private let day = StoreDay("2025-11-22", timeZone: hongKong)!
/// 2025-11-22 00:00 in Hong Kong.
private let midnight = Date(timeIntervalSince1970: 1_763_740_800)

private func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }
private func at(hours: Double) -> Date { midnight.addingTimeInterval(hours * 3600) }

private func order(_ id: String, _ wallet: Wallet, _ minor: Int64, _ status: OrderStatus, hours: Double) -> Order {
    Order(id: try! OrderID(id), provider: "wantu", method: .qr, wallet: wallet, amount: hkd(minor), subject: "Tea",
          status: status, createdAt: at(hours: hours))
}

private func refund(_ order: Order, _ sequence: Int, _ minor: Int64, _ status: RefundStatus) -> Refund {
    Refund(id: RefundID(order: order.id, sequence: sequence), orderID: order.id, amount: hkd(minor), reason: "r",
           status: status, createdAt: order.createdAt.addingTimeInterval(600))
}

/// A mixed day: both wallets, partial refunds (one failed, one still pending), a declined and
/// an unknown order, and orders either side of the day whose sales must not count. Yesterday's
/// order is refunded ten minutes into the day: that refund counts today, when the money went back.
private struct MixedDay {
    let w1 = order("ORDERW1AAAA", .wechat, 100_00, .paid, hours: 9)
    let w2 = order("ORDERW2AAAA", .wechat, 20_50, .paid, hours: 10)
    let w3 = order("ORDERW3AAAA", .wechat, 15_00, .unknown, hours: 11)
    let a1 = order("ORDERA1AAAA", .alipay, 58_00, .paid, hours: 12)
    let a2 = order("ORDERA2AAAA", .alipay, 12_00, .declined, hours: 13)
    let a3 = order("ORDERA3AAAA", .alipay, 9_99, .paid, hours: 14)
    let yesterday = order("ORDERY1AAAA", .wechat, 500_00, .paid, hours: -0.001)
    let tomorrow = order("ORDERT1AAAA", .alipay, 700_00, .paid, hours: 24)

    var orders: [Order] { [w1, w2, w3, a1, a2, a3, yesterday, tomorrow] }
    var refunds: [Refund] {
        [refund(w1, 1, 30_00, .refunded), refund(w1, 2, 10_00, .refunded), refund(a1, 1, 8_00, .refunded),
         refund(a1, 2, 5_00, .failed), refund(a3, 1, 1_00, .pending), refund(yesterday, 1, 50_00, .refunded)]
    }
}

@Suite("Day reports (X and Z)")
struct OwnerDayReportTests {
    @Test func aRefundCountsOnTheDayItWasMadeNotOnTheDayOfTheSale() {
        let sale = order("ORDERW9AAAA", .wechat, 80_00, .paid, hours: 9)
        let nextDay = Refund(id: RefundID(order: sale.id, sequence: 1), orderID: sale.id, amount: hkd(30_00), reason: "r",
                             status: .refunded, createdAt: at(hours: 26))
        let today = DayReport.make(.x, day: day, currency: .hkd, orders: [sale], refunds: [nextDay])
        #expect(today.paid == hkd(80_00))
        #expect(today.refunded == hkd(0))
        let tomorrow = StoreDay("2025-11-23", timeZone: hongKong)!
        let later = DayReport.make(.x, day: tomorrow, currency: .hkd, orders: [sale], refunds: [nextDay])
        #expect(later.paid == hkd(0))
        #expect(later.refunded == hkd(30_00))
        #expect(later.wallets[0].refunded == hkd(30_00))
    }

    @Test func theFiguresOfAMixedDay() {
        let mixed = MixedDay()
        let report = DayReport.make(.x, day: day, currency: .hkd, orders: mixed.orders, refunds: mixed.refunds)
        #expect(report.day == "2025-11-22")
        #expect(report.period?.timeZone.identifier == "Asia/Hong_Kong")
        #expect(report.wallets == [
            DayReport.WalletTotals(wallet: .wechat, count: 2, paid: hkd(120_50), refunded: hkd(90_00)),
            DayReport.WalletTotals(wallet: .alipay, count: 2, paid: hkd(67_99), refunded: hkd(8_00)),
        ])
        #expect(report.paid == hkd(188_49))
        #expect(report.refunded == hkd(98_00))
        #expect(report.net == hkd(90_49))
        #expect(report.countsByStatus == [.paid: 4, .declined: 1, .cancelled: 0, .expired: 0, .unknown: 1, .pending: 0])
        #expect(report.orderCount == 6)
        #expect(report.refundCount == 4)
        #expect(report.refundsInDoubt == 1)
        #expect(report.openOrders == [mixed.w3.id, mixed.a3.id])
        #expect(report.closedAt == nil)
    }

    @Test func aQuietDayHasZeroFiguresForEveryWallet() {
        let report = DayReport.make(.x, day: day, currency: .hkd, orders: [], refunds: [])
        #expect(report.wallets.map(\.wallet) == [.wechat, .alipay])
        #expect(report.wallets.allSatisfy { $0.count == 0 && $0.paid == hkd(0) && $0.refunded == hkd(0) })
        #expect(report.net == hkd(0))
        #expect(report.orderCount == 0)
        #expect(report.openOrders.isEmpty)
    }

    @Test func dayBoundsFollowTheStoresTimeZone() {
        #expect(day.start == midnight)
        #expect(day.end == midnight.addingTimeInterval(86_400))
        #expect(StoreDay.containing(midnight.addingTimeInterval(-1), in: hongKong).text == "2025-11-21")
        #expect(StoreDay.containing(midnight, in: hongKong).text == "2025-11-22")
        #expect(StoreDay("2025-02-30", timeZone: hongKong) == nil)
        #expect(StoreDay("22/11/2025", timeZone: hongKong) == nil)
    }

    @Test func zIsRefusedWhileOrdersAreOpenThenClosesOnceWithTheLedgersFigures() throws {
        let ledger = try SQLiteLedger.inMemory()
        let mixed = MixedDay()
        for o in mixed.orders {
            try ledger.insert(Order(id: o.id, provider: o.provider, method: o.method, wallet: o.wallet, amount: o.amount,
                                    subject: o.subject, createdAt: o.createdAt))
            try ledger.updateOrder(o.id, status: o.status, gatewayTradeID: nil, reason: nil, at: o.createdAt.addingTimeInterval(5))
        }
        for r in mixed.refunds {
            let begun = try ledger.beginRefund(orderID: r.orderID, amount: r.amount, reason: r.reason, at: r.createdAt)
            if r.status != .pending {
                try ledger.updateRefund(begun.id, status: r.status, gatewayRefundID: nil, reason: nil, at: r.createdAt)
            }
        }

        // The X report read from the ledger has the same figures as the pure one, and says it is this till's.
        let x = try ledger.dayReport(day: day, currency: .hkd, tills: .till(ledger.till))
        var pure = DayReport.make(.x, day: day, currency: .hkd, orders: mixed.orders, refunds: mixed.refunds)
        pure.tills = .till(ledger.till)
        pure.tillNames = [ledger.till]
        #expect(x == pure)

        // Z refused while the unknown order and the pending refund are open, naming both orders.
        let refusal = #expect(throws: LedgerError.self) { try ledger.closeDay(day, currency: .hkd, at: at(hours: 22)) }
        #expect(refusal == .dayHasOpenOrders(day: "2025-11-22", orders: [mixed.w3.id, mixed.a3.id]))
        #expect(refusal?.description.contains("ORDERW3AAAA") == true)
        #expect(try ledger.dayClosure(day: "2025-11-22") == nil)

        // Settle them; the Z closes with the settled figures.
        try ledger.updateOrder(mixed.w3.id, status: .paid, gatewayTradeID: "T3", reason: nil, at: at(hours: 21))
        let pending = try #require(try ledger.refunds(for: mixed.a3.id).first)
        try ledger.updateRefund(pending.id, status: .refunded, gatewayRefundID: nil, reason: nil, at: at(hours: 21))
        let z = try ledger.closeDay(day, currency: .hkd, at: at(hours: 22))
        #expect(z.kind == .z)
        #expect(z.closedAt == at(hours: 22))
        #expect(z.paid == hkd(203_49))
        #expect(z.refunded == hkd(99_00))
        #expect(z.net == hkd(104_49))
        #expect(z.wallets[0] == DayReport.WalletTotals(wallet: .wechat, count: 3, paid: hkd(135_50), refunded: hkd(90_00)))

        // What the ledger kept reads back as the same report.
        let stored = try #require(try ledger.dayClosure(day: "2025-11-22"))
        let reread = DayReport(closure: stored)
        #expect(reread.wallets == z.wallets)
        #expect(reread.countsByStatus == z.countsByStatus)
        #expect(reread.refundCount == z.refundCount)
        #expect(reread.closedAt == z.closedAt)

        // A second Z for the day is refused; an X now says the day is closed.
        #expect(throws: LedgerError.dayAlreadyClosed(day: "2025-11-22", closedAt: at(hours: 22))) {
            try ledger.closeDay(day, currency: .hkd, at: at(hours: 23))
        }
        #expect(try ledger.dayReport(day: day, currency: .hkd, tills: .till(ledger.till)).closedAt == at(hours: 22))
    }

    @Test func aRefundMadeOutsideTheTillCountsInTheDayAndItsOrderNeedsAttention() throws {
        let ledger = try SQLiteLedger.inMemory()
        // Yesterday's Paymax sale, refunded today in Paymax's back office.
        let sale = Order(id: try OrderID("ORDERP1AAAA"), provider: "paymax", method: .qr, wallet: .alipay, amount: hkd(80_00),
                         subject: "Tea", createdAt: at(hours: -2))
        try ledger.insert(sale)
        try ledger.updateOrder(sale.id, status: .paid, gatewayTradeID: "ch_1", reason: nil, at: at(hours: -2))
        let today = Order(id: try OrderID("ORDERP2AAAA"), provider: "paymax", method: .qr, wallet: .alipay, amount: hkd(50_00),
                          subject: "Tea", createdAt: at(hours: 9))
        try ledger.insert(today)
        try ledger.updateOrder(today.id, status: .paid, gatewayTradeID: "ch_2", reason: nil, at: at(hours: 9))
        let notice = RefundNotice(gatewayRefundID: "re_backoffice", gatewayTradeID: "ch_1", amount: hkd(30_00))
        #expect(try ledger.applyRefundNotification(LedgerRefundNotification(
            orderID: sale.id, notice: notice, provider: "paymax", verdict: .refunded(gatewayRefundID: "re_backoffice"),
            body: "{}", at: at(hours: 10), binding: .recordedTrade)) == .externalRefund)

        let x = try ledger.dayReport(day: day, currency: .hkd, tills: .till(ledger.till))
        #expect(x.paid == hkd(50_00) && x.refunded == hkd(30_00) && x.net == hkd(20_00) && x.refundCount == 1)
        #expect(x.wallets[1].refunded == hkd(30_00))
        #expect(x.attention == [sale.id], "the refund made elsewhere is flagged on the day it was recorded")
        #expect(x.openOrders.isEmpty, "it is settled money, not a refund in doubt")
        let z = try ledger.closeDay(day, currency: .hkd, at: at(hours: 22))
        #expect(z.refunded == hkd(30_00))
    }
}

/// CloudPay's `realprice`: the day's totals add the money that came in, beside the prices.
extension OwnerDayReportTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let cnyDay = StoreDay("2025-11-22", timeZone: shanghai)!

    static func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }

    /// Three CloudPay orders in a ledger file, each ended by its notification: a shifted price
    /// (12.29 for 12.30), a full price (10.00), an underpayment (8.50 of 12.30); and one
    /// that nobody paid.
    static func cloudPayDay(_ ledger: SQLiteLedger) throws -> [OrderID] {
        let noon = cnyDay.start.addingTimeInterval(12 * 3600)
        let sales: [(String, Int64, PaymentVerdict?)] = [
            ("S251122120001AAAAAA", 1230, .paid(PaymentConfirmation(gatewayTradeID: "9001", amount: cny(1230), received: cny(1229)))),
            ("S251122120002BBBBBB", 1000, .paid(PaymentConfirmation(gatewayTradeID: "9002", amount: cny(1000)))),
            ("S251122120003CCCCCC", 1230, .underpaid(PaymentConfirmation(gatewayTradeID: "9003", amount: cny(1230), received: cny(850)))),
            ("S251122120004DDDDDD", 500, nil),
        ]
        var ids: [OrderID] = []
        for (index, (id, fen, verdict)) in sales.enumerated() {
            let created = noon.addingTimeInterval(Double(index) * 60)
            let order = Order(id: try OrderID(id), provider: "cloudpay", method: .qr, wallet: .alipay, amount: cny(fen), subject: "Tea", createdAt: created)
            try ledger.insert(order)
            if let verdict {
                _ = try ledger.applyNotification(LedgerNotification(orderID: order.id, provider: "cloudpay", verdict: verdict, body: "", at: created.addingTimeInterval(5)))
            } else {
                try ledger.updateOrder(order.id, status: .expired, gatewayTradeID: nil, reason: "not paid in time", at: created.addingTimeInterval(180))
            }
            ids.append(order.id)
        }
        return ids
    }

    @Test func theDaysTotalsAddTheMoneyReceivedAndNameWhereItDiffersFromThePrices() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("OwnerDayReport-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
        defer { try? ledger.close() }
        let ids = try Self.cloudPayDay(ledger)

        let x = try ledger.dayReport(day: Self.cnyDay, currency: .cny, tills: .till(ledger.till))
        #expect(x.paid == Self.cny(22_30))
        #expect(x.received == Self.cny(30_79))
        #expect(x.wallets.first { $0.wallet == .alipay } == DayReport.WalletTotals(wallet: .alipay, count: 2, paid: Self.cny(22_30),
                                                                                 received: Self.cny(30_79), refunded: Self.cny(0)))
        #expect(x.receivedDifferences == [
            ReceivedDifference(orderID: ids[0], status: .paid, price: Self.cny(1230), received: Self.cny(1229)),
            ReceivedDifference(orderID: ids[2], status: .declined, price: Self.cny(1230), received: Self.cny(850)),
        ])
        #expect(x.receivedDifferences.last?.summary == "S251122120003CCCCCC: CNY 8.50 received of CNY 12.30 (declined)")
        #expect(x.attention == [ids[2]])
        #expect(x.net == Self.cny(22_30), "net stays paid less refunded")

        // The Z keeps the money received, and reads it back.
        let z = try ledger.closeDay(Self.cnyDay, currency: .cny, at: Self.cnyDay.end.addingTimeInterval(-60))
        #expect(z.received == Self.cny(30_79))
        let stored = try #require(try ledger.dayClosure(day: "2025-11-22"))
        #expect(stored.received == Self.cny(30_79))
        let reread = DayReport(closure: stored)
        #expect(reread.received == Self.cny(30_79))
        #expect(reread.wallets == z.wallets)
    }
}
