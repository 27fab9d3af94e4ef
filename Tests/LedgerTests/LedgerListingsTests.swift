import CheckoutCore
import Foundation
import GRDB
@testable import Ledger
@testable import SQLiteLedger
import Testing

@Suite("Ledger: listings, history pages, query plans")
struct LedgerListingsTests {
    /// `count` orders a minute apart from `base`, every third paid, alternating wallets.
    static func orders(_ count: Int, from start: Date = base) throws -> [Order] {
        try (0..<count).map { i in
            let status: OrderStatus = i % 3 == 0 ? .paid : (i % 3 == 1 ? .declined : .cancelled)
            let code = try PaymentCode(scanned: scannedWeChatCode)
            return Order(id: try OrderID(String(format: "S2506151200%08d", i)), provider: "wantu", method: .scan,
                         wallet: i % 2 == 0 ? .wechat : .alipay, amount: hkd(Int64(100 + i)), subject: "Coffee",
                         status: status, maskedCode: code.masked,
                         gatewayTradeID: status == .paid ? String(format: "42000%012d", i) : nil,
                         createdAt: start.addingTimeInterval(Double(i) * 60))
        }
    }

    @Test func aDaysListingCarriesEachOrdersRefundSumsNewestFirst() throws {
        let ledger = try SQLiteLedger.inMemory()
        let first = try paidOrder(in: ledger, "S250615120000PAID01", amount: hkd(100_00))
        var second = try sampleOrder("S250615120000PAID02", status: .pending, createdAt: base.addingTimeInterval(60))
        try ledger.insert(second)
        second = try ledger.updateOrder(second.id, status: .paid, gatewayTradeID: "T2", reason: nil, at: base.addingTimeInterval(61))
        let outside = try sampleOrder("S250615120000LATER1", createdAt: base.addingTimeInterval(86_400))
        try ledger.insert(outside)
        // Of the first: 10.00 refunded, 5.00 pending, 20.00 failed.
        let done = try ledger.beginRefund(orderID: first.id, amount: hkd(10_00), reason: "cup", at: base)
        try ledger.updateRefund(done.id, status: .refunded, gatewayRefundID: "R1", reason: nil, at: base)
        _ = try ledger.beginRefund(orderID: first.id, amount: hkd(5_00), reason: "lid", at: base)
        let failed = try ledger.beginRefund(orderID: first.id, amount: hkd(20_00), reason: "no", at: base)
        try ledger.updateRefund(failed.id, status: .failed, gatewayRefundID: nil, reason: nil, at: base)

        let listed = try ledger.listedOrders(createdFrom: base, to: base.addingTimeInterval(3600))

        #expect(listed.map(\.order.id) == [second.id, first.id])
        #expect(listed.map(\.order) == [second, try #require(try ledger.order(first.id))])
        #expect(listed[0].refunded == hkd(0) && listed[0].committed == hkd(0))
        #expect(listed[1].refunded == hkd(10_00))
        #expect(listed[1].committed == hkd(15_00))
    }

    @Test func pagesFollowEachOtherWithoutGapsOrRepeatsEvenOnEqualTimes() throws {
        let ledger = try SQLiteLedger.inMemory()
        var all = try Self.orders(25)
        // Five orders in the same millisecond: the number breaks the tie.
        for i in 10..<15 { all[i].createdAt = base.addingTimeInterval(600) }
        try ledger.importHistory(orders: all, refunds: [])
        let expected = all.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)

        var seen: [OrderID] = []
        var cursor: OrderCursor?
        var pages = 0
        while true {
            let page = try ledger.historyPage(after: cursor, limit: 4)
            if page.isEmpty { break }
            #expect(page.count <= 4)
            seen += page.map(\.order.id)
            cursor = OrderCursor(after: page.last!.order)
            pages += 1
        }

        #expect(seen == expected)
        #expect(pages == 7)
    }

    @Test func aSearchMatchesNumberCodeTradeIDAndAmountInItsDateRange() throws {
        let ledger = try SQLiteLedger.inMemory()
        let all = try Self.orders(30)
        try ledger.importHistory(orders: all, refunds: [])

        let byNumber = try ledger.historyPage(OrderSearch(typed: "00000017", currency: .hkd), limit: 10)
        #expect(byNumber.map(\.order.id) == [all[17].id])
        // Lower case finds the same.
        #expect(try ledger.historyPage(OrderSearch(typed: "s25061512000000001", currency: .hkd), limit: 50)
            .map(\.order.id) == (10...19).reversed().map { all[$0].id })
        let byTrade = try ledger.historyPage(OrderSearch(typed: "42000000000000021", currency: .hkd), limit: 10)
        #expect(byTrade.map(\.order.id) == [all[21].id])
        // Every order has the same masked code: its last digits find them all.
        let masked = try #require(all[0].maskedCode)
        let byCode = try ledger.historyPage(OrderSearch(typed: String(masked.suffix(4)), currency: .hkd), limit: 100)
        #expect(byCode.count == 30)
        // HKD 1.05 is order 5's amount; "1.05" is in no number, code or trade id.
        let byAmount = try ledger.historyPage(OrderSearch(typed: "1.05", currency: .hkd), limit: 10)
        #expect(byAmount.map(\.order.id) == [all[5].id])
        // The date range cuts: orders 20 to 24 only.
        let ranged = try ledger.historyPage(OrderSearch(typed: "S2506", currency: .hkd, createdFrom: all[20].createdAt,
                                                        createdBefore: all[25].createdAt), limit: 10)
        #expect(ranged.map(\.order.id) == (20..<25).reversed().map { all[$0].id })
        // LIKE's wildcards are taken as typed.
        #expect(try ledger.historyPage(OrderSearch(text: "%"), limit: 10).isEmpty)
        #expect(try ledger.historyPage(OrderSearch(text: "S25_6"), limit: 10).isEmpty)
    }

    @Test func openOrdersOfADayAreItsUnsettledOrdersAndTheOrdersOfItsRefundsInDoubt() throws {
        let ledger = try SQLiteLedger.inMemory()
        let dayStart = base, dayEnd = base.addingTimeInterval(86_400)
        let paid = try paidOrder(in: ledger, "S250615120000PAID01")  // created at `base`, the day's start
        let pending = try sampleOrder("S250615120000OPEN01", status: .pending, createdAt: base.addingTimeInterval(7200))
        try ledger.insert(pending)
        let tomorrow = try sampleOrder("S250616120000OPEN02", status: .pending, createdAt: dayEnd)
        try ledger.insert(tomorrow)
        _ = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "cup", at: base.addingTimeInterval(3600))

        #expect(try ledger.openOrderIDs(createdFrom: dayStart, to: dayEnd) == [paid.id, pending.id])
        // The next day sees only its own open order: the refund in doubt was made the day before.
        #expect(try ledger.openOrderIDs(createdFrom: dayEnd, to: dayEnd.addingTimeInterval(86_400)) == [tomorrow.id])
    }

    @Test func anImportKeepsTheLedgersRulesAndWritesNothingWhenOneIsBroken() throws {
        let ledger = try SQLiteLedger.inMemory()
        let all = try Self.orders(6)
        let tooMuch = Refund(id: RefundID(order: all[0].id, sequence: 1), orderID: all[0].id, amount: hkd(101),
                             reason: "all of it and more", status: .refunded, createdAt: base)

        #expect(throws: LedgerError.refundExceedsRemainder(requested: hkd(101), remaining: hkd(100))) {
            try ledger.importHistory(orders: all, refunds: [tooMuch])
        }
        let declined = Refund(id: RefundID(order: all[1].id, sequence: 1), orderID: all[1].id, amount: hkd(1),
                              reason: "x", status: .refunded, createdAt: base)
        #expect(throws: LedgerError.orderNotPaid(.declined)) { try ledger.importHistory(orders: all, refunds: [declined]) }
        #expect(try ledger.historyPage(limit: 10).isEmpty)

        let fine = Refund(id: RefundID(order: all[0].id, sequence: 1), orderID: all[0].id, amount: hkd(40),
                          reason: "code 134567890123456789", status: .refunded, createdAt: base)
        try ledger.importHistory(orders: all, refunds: [fine])
        #expect(try ledger.historyPage(limit: 10).count == 6)
        #expect(try ledger.refundableRemainder(of: all[0].id) == hkd(60))
        #expect(try ledger.refunds(for: all[0].id).first?.reason.contains("134567890123456789") == false)
        #expect(throws: LedgerError.duplicateOrder(all[0].id)) { try ledger.importHistory(orders: [all[0]], refunds: []) }
    }

    // MARK: - Query plans

    /// The plan's lines that read a whole table: `SCAN t` without an index (a `SCAN … USING
    /// INDEX` walks an index in the order asked, and stops at the page's LIMIT), and a sort of
    /// every matching row before the first comes out.
    static func fullScans(_ sql: String, _ arguments: StatementArguments, _ db: Database) throws -> [String] {
        let details = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            .map { $0["detail"] as String }
        return details.filter { detail in
            let words = detail.split(separator: " ")
            guard words.first == "SCAN", words.count >= 2 else { return false }
            let table = words[1]
            guard ["orders", "refunds", "o", "r"].contains(table) else { return false }
            return !detail.contains("USING INDEX") && !detail.contains("USING COVERING INDEX")
        }
    }

    static func temporarySorts(_ sql: String, _ arguments: StatementArguments, _ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            .map { $0["detail"] as String }.filter { $0.contains("TEMP B-TREE FOR ORDER BY") }
    }

    @Test func theCheckCatchesAFullScan() throws {
        let ledger = try SQLiteLedger.inMemory()
        try ledger.read { (db: Database) throws in
            #expect(try Self.fullScans("SELECT * FROM orders WHERE subject = ?", ["Coffee"], db) != [])
            #expect(try Self.fullScans("SELECT o.id FROM orders o JOIN refunds r ON r.order_id = o.id WHERE r.reason = ?", ["x"], db) != [])
            #expect(try Self.temporarySorts("SELECT * FROM orders ORDER BY amount", [], db) != [])
        }
    }

    @Test(arguments: [0, 3000])
    func noListedQueryReadsAWholeTable(orders count: Int) throws {
        let ledger = try SQLiteLedger.inMemory()
        if count > 0 {
            let all = try Self.orders(count, from: moment(1_749_000_000))
            let refunds = all.filter { $0.status == .paid }.prefix(200).map {
                Refund(id: RefundID(order: $0.id, sequence: 1), orderID: $0.id, amount: hkd(50), reason: "cup",
                       status: .refunded, createdAt: $0.createdAt.addingTimeInterval(30))
            }
            try ledger.importHistory(orders: all, refunds: Array(refunds))  // and ANALYZE
        }
        let queries = SQLiteLedger.plannedQueries
        #expect(queries.count >= 18)
        try ledger.read { (db: Database) throws in
            for query in queries {
                #expect(try Self.fullScans(query.sql, query.arguments, db) == [], "\(query.name)")
                if query.name.hasPrefix("history") || query.name.hasPrefix("a day's orders") {
                    #expect(try Self.temporarySorts(query.sql, query.arguments, db) == [], "\(query.name)")
                }
            }
        }
    }

    @Test func aNewLedgerHasTheV4IndexesAndNotTheOnesTheyReplace() throws {
        let ledger = try SQLiteLedger.inMemory()
        let names = try ledger.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
        }
        #expect(Set(names).isSuperset(of: ["orders_created_id", "orders_status_created", "refunds_order_status",
                                           "refunds_status_created", "orders_attention"]))
        #expect(Set(names).isDisjoint(with: ["orders_created_at", "orders_status", "refunds_status"]))
    }
}
