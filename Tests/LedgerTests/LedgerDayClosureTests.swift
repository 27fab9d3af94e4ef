import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

/// A closure of the day that starts at `base` (24 hours), figures given by hand.
private func closure(paid: Int64, refunded: Int64 = 0, paidCount: Int, orderCount: Int, declined: Int = 0,
                     refundCount: Int = 0, wechat: (Int, Int64, Int64)? = nil) -> DayClosure {
    let w = wechat ?? (paidCount, paid, refunded)
    return DayClosure(day: "2025-06-15", till: SQLiteLedger.machineTill, timeZone: "UTC", start: base, end: base.addingTimeInterval(86_400),
                      closedAt: base.addingTimeInterval(80_000), orderCount: orderCount, paidCount: paidCount,
                      declinedCount: declined, cancelledCount: 0, expiredCount: 0, refundCount: refundCount,
                      paid: hkd(paid), refunded: hkd(refunded),
                      wallets: [DayClosure.WalletTotals(wallet: .wechat, paidCount: w.0, paid: hkd(w.1), refunded: hkd(w.2)),
                                DayClosure.WalletTotals(wallet: .alipay, paidCount: 0, paid: hkd(0), refunded: hkd(0))])
}

@Suite("Ledger day closures (Z reports)")
struct LedgerDayClosureTests {
    @Test func aClosedDayIsStoredOnceAndReadBack() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let order = try paidOrder(in: ledger, amount: hkd(100_00))
            let refund = try ledger.beginRefund(orderID: order.id, amount: hkd(30_00), reason: "one cup", at: base.addingTimeInterval(10))
            try ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "R1", reason: nil, at: base.addingTimeInterval(11))
            let declined = try sampleOrder("S250615120000DECL01", amount: hkd(5_00), createdAt: base.addingTimeInterval(20))
            try ledger.insert(declined)
            try ledger.updateOrder(declined.id, status: .declined, gatewayTradeID: nil, reason: "no funds", at: base.addingTimeInterval(21))

            let wanted = closure(paid: 100_00, refunded: 30_00, paidCount: 1, orderCount: 2, declined: 1, refundCount: 1)
            #expect(try ledger.dayClosure(day: "2025-06-15") == nil)
            try ledger.closeDay(wanted)
            try ledger.close()

            // Read back from the file by a new instance: the closure outlives the process.
            let reopened = try SQLiteLedger(path: path)
            let stored = try #require(try reopened.dayClosure(day: "2025-06-15"))
            #expect(stored == wanted)
            #expect(stored.net == hkd(70_00))

            // A second Z for the same day is refused, and the first stays as it was.
            let again = closure(paid: 100_00, refunded: 30_00, paidCount: 1, orderCount: 2, declined: 1, refundCount: 1)
            #expect(throws: LedgerError.dayAlreadyClosed(day: "2025-06-15", closedAt: wanted.closedAt)) {
                try reopened.closeDay(again)
            }
            #expect(try reopened.dayClosure(day: "2025-06-15") == wanted)
        }
    }

    @Test func aDayWithAPendingOrUnknownOrderCannotBeClosed() throws {
        let ledger = try SQLiteLedger.inMemory()
        _ = try paidOrder(in: ledger)
        let open = try sampleOrder("S250615120000OPEN01", createdAt: base.addingTimeInterval(60))
        try ledger.insert(open)
        let error = #expect(throws: LedgerError.self) {
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 2))
        }
        #expect(error == .dayHasOpenOrders(day: "2025-06-15", orders: [open.id]))
        #expect(error?.description.contains("S250615120000OPEN01") == true)

        try ledger.updateOrder(open.id, status: .unknown, gatewayTradeID: nil, reason: "timed out", at: base.addingTimeInterval(90))
        #expect(throws: LedgerError.dayHasOpenOrders(day: "2025-06-15", orders: [open.id])) {
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 2))
        }
        #expect(try ledger.dayClosure(day: "2025-06-15") == nil)

        // Once settled, the same day closes.
        try ledger.updateOrder(open.id, status: .cancelled, gatewayTradeID: nil, reason: "closed", at: base.addingTimeInterval(95))
        var settled = closure(paid: 100_00, paidCount: 1, orderCount: 2)
        settled.cancelledCount = 1
        try ledger.closeDay(settled)
        #expect(try ledger.dayClosure(day: "2025-06-15") == settled)
    }

    @Test func aRefundStillInDoubtKeepsTheDayOpen() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try paidOrder(in: ledger)
        _ = try ledger.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "spilt", at: base.addingTimeInterval(30))
        #expect(throws: LedgerError.dayHasOpenOrders(day: "2025-06-15", orders: [order.id])) {
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 1))
        }
    }

    @Test func figuresThatNoLongerMatchTheLedgerAreRefused() throws {
        let ledger = try SQLiteLedger.inMemory()
        _ = try paidOrder(in: ledger, amount: hkd(100_00))
        // A report computed before a second sale, or simply wrong, is not stored.
        #expect(throws: LedgerError.dayChanged(day: "2025-06-15")) {
            try ledger.closeDay(closure(paid: 99_00, paidCount: 1, orderCount: 1))
        }
        #expect(throws: LedgerError.dayChanged(day: "2025-06-15")) {
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 2))
        }
        #expect(throws: LedgerError.dayChanged(day: "2025-06-15")) {
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 1, wechat: (1, 60_00, 0)))
        }
        #expect(try ledger.dayClosure(day: "2025-06-15") == nil)
        try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 1))
    }

    @Test func aClosedDayCannotBeEditedBehindTheLedgersBack() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            _ = try paidOrder(in: ledger)
            try ledger.closeDay(closure(paid: 100_00, paidCount: 1, orderCount: 1))
            try ledger.close()
            let raw = try rawConnection(path)
            #expect(throws: DatabaseError.self) {
                try raw.write { try $0.execute(sql: "UPDATE day_closures SET paid = 1") }
            }
            #expect(throws: DatabaseError.self) {
                try raw.write { try $0.execute(sql: "DELETE FROM day_closure_wallets") }
            }
        }
    }
}
