import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

@Suite("Ledger: event log and gateway attempts")
struct LedgerEventsTests {
    @Test func eventsReadBackInTheOrderWritten() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "a", at: base)

        try ledger.appendEvent(LedgerEvent(orderID: paid.id, kind: .note, detail: "customer asked for a receipt",
                                           at: base.addingTimeInterval(1)))
        // Naming only the refund files the event under its order.
        try ledger.appendEvent(LedgerEvent(refundID: refund.id, kind: .gatewayAnswer, detail: "SUCCESS",
                                           at: base.addingTimeInterval(2)))
        try ledger.appendEvent(LedgerEvent(kind: "till-started", detail: "shroff 1.0", at: base))

        let events = try ledger.events(for: paid.id)
        #expect(events.map(\.kind) == [.created, .status, .refundCreated, .note, .gatewayAnswer])
        #expect(events.last == LedgerEvent(orderID: paid.id, refundID: refund.id, kind: .gatewayAnswer,
                                           detail: "SUCCESS", at: base.addingTimeInterval(2)))
    }

    @Test func eventsMustNameWhatIsInTheLedger() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let other = try paidOrder(in: ledger, "S250615120000OTHER1")
        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "a", at: base)
        let missingOrder = try OrderID("S250615120000NOPE00")

        #expect(throws: LedgerError.orderNotFound(missingOrder)) {
            try ledger.appendEvent(LedgerEvent(orderID: missingOrder, kind: .note, detail: "x", at: base))
        }
        #expect(throws: LedgerError.refundNotFound(refund.id)) {
            try ledger.appendEvent(LedgerEvent(orderID: other.id, refundID: refund.id, kind: .note, detail: "x", at: base))
        }
    }

    @Test func theEventLogCannotBeUpdatedOrDeletedThroughAnotherConnection() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let paid = try paidOrder(in: ledger)
            let before = try ledger.events(for: paid.id)
            #expect(before.count == 2)

            let raw = try rawConnection(path)
            for sql in ["UPDATE events SET detail = 'nothing happened'", "DELETE FROM events",
                        "UPDATE events SET at = 0 WHERE kind = 'status'"] {
                let error = #expect(throws: DatabaseError.self) {
                    try raw.write { db in try db.execute(sql: sql) }
                }
                #expect(error?.message?.contains("append-only") == true, "\(sql)")
            }

            #expect(try ledger.events(for: paid.id) == before)
            #expect(try raw.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 2)
        }
    }

    @Test func theEventLogStaysIntactWhenTheFileIsOpenedAloneLater() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            do {
                let ledger = try SQLiteLedger(path: path)
                _ = try paidOrder(in: ledger)
                try ledger.close()
            }
            // No Ledger open: the triggers live in the file itself.
            let raw = try rawConnection(path)
            #expect(throws: DatabaseError.self) {
                try raw.write { db in try db.execute(sql: "DELETE FROM events WHERE seq = 1") }
            }
            #expect(try raw.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 2)
        }
    }

    @Test func anAttemptIsRecordedWhenSentAndCompletedWhenAnswered() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        var attempt = GatewayAttempt(orderID: order.id, operation: .pay, startedAt: base, outcome: "sent")
        try ledger.recordAttempt(attempt)
        #expect(try ledger.attempts(for: order.id) == [attempt])

        attempt.finishedAt = base.addingTimeInterval(1.5)
        attempt.outcome = "USERPAYING for code \(scannedWeChatCode)"
        try ledger.recordAttempt(attempt)
        let query = GatewayAttempt(orderID: order.id, operation: .query, startedAt: base.addingTimeInterval(5),
                                   finishedAt: base.addingTimeInterval(6), outcome: "paid")
        try ledger.recordAttempt(query)

        let stored = try ledger.attempts(for: order.id)
        #expect(stored.map(\.operation) == [.pay, .query])
        #expect(stored.first?.finishedAt == base.addingTimeInterval(1.5))
        #expect(stored.first?.outcome == "USERPAYING for code 1345**********6789")
        #expect(stored.last == query)
    }

    @Test func refundAttemptsNameTheirRefund() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "a", at: base)
        let attempt = GatewayAttempt(orderID: paid.id, operation: .refund, refundID: refund.id, startedAt: base)
        try ledger.recordAttempt(attempt)
        #expect(try ledger.attempts(for: paid.id) == [attempt])

        let stray = GatewayAttempt(orderID: paid.id, operation: .refund, refundID: RefundID(order: paid.id, sequence: 5),
                                   startedAt: base)
        #expect(throws: LedgerError.refundNotFound(RefundID(order: paid.id, sequence: 5))) {
            try ledger.recordAttempt(stray)
        }
        let missing = try OrderID("S250615120000NOPE00")
        #expect(throws: LedgerError.orderNotFound(missing)) {
            try ledger.recordAttempt(GatewayAttempt(orderID: missing, operation: .query, startedAt: base))
        }
    }
}
