import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

@Suite("Ledger: orders")
struct LedgerOrdersTests {
    @Test func anInsertedOrderReadsBackUnchanged() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()

        try ledger.insert(order)

        #expect(try ledger.order(order.id) == order)
        #expect(try ledger.order(try OrderID("S250615120000NOPE00")) == nil)
    }

    @Test(arguments: OrderStatus.allCases)
    func everyStatusCanBeStored(_ status: OrderStatus) throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder(status: status)
        try ledger.insert(order)
        #expect(try ledger.order(order.id)?.status == status)
    }

    @Test func aDuplicateOrderNumberIsRefusedAndTheFirstKept() throws {
        let ledger = try SQLiteLedger.inMemory()
        let first = try sampleOrder()
        try ledger.insert(first)
        var second = first
        second.amount = hkd(99_99)
        second.subject = "Something else"

        #expect(throws: LedgerError.duplicateOrder(first.id)) { try ledger.insert(second) }
        #expect(try ledger.order(first.id) == first)
        #expect(try ledger.events(for: first.id).count == 1)  // only the first insert's event
    }

    @Test func anOrderForNothingIsRefused() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder(amount: hkd(0))
        #expect(throws: LedgerError.amountNotPositive(hkd(0))) { try ledger.insert(order) }
        #expect(try ledger.order(order.id) == nil)
    }

    @Test func payingAnOrderRecordsTheTradeAndAStatusEvent() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        let later = base.addingTimeInterval(3)

        let paid = try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "T-123", reason: nil, at: later)

        #expect(paid.status == .paid)
        #expect(paid.gatewayTradeID == "T-123")
        #expect(paid.updatedAt == later)
        #expect(paid.createdAt == order.createdAt)
        #expect(try ledger.order(order.id) == paid)
        let events = try ledger.events(for: order.id)
        #expect(events.map(\.kind) == [.created, .status])
        #expect(events.last?.detail.contains("pending → paid") == true)
        #expect(events.last?.at == later)
    }

    @Test func aPaidOrderCannotBecomeCancelled() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)

        #expect(throws: LedgerError.orderIsFinal(paid.id, status: .paid, requested: .cancelled)) {
            try ledger.updateOrder(paid.id, status: .cancelled, gatewayTradeID: nil, reason: "cashier", at: base)
        }
        #expect(try ledger.order(paid.id) == paid)
    }

    @Test func aLateDuplicatePaidAnswerIsAcceptedAndChangesNothing() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let eventsBefore = try ledger.events(for: paid.id).count

        let again = try ledger.updateOrder(paid.id, status: .paid, gatewayTradeID: nil, reason: nil,
                                           at: base.addingTimeInterval(60))

        #expect(again == paid)
        let events = try ledger.events(for: paid.id)
        #expect(events.count == eventsBefore + 1)
        #expect(events.last?.detail.contains("confirmed again") == true)
    }

    @Test func aDeclinedOrderStaysDeclined() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        try ledger.updateOrder(order.id, status: .declined, gatewayTradeID: nil, reason: "insufficient funds", at: base)

        #expect(throws: LedgerError.orderIsFinal(order.id, status: .declined, requested: .paid)) {
            try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "T", reason: nil, at: base)
        }
        #expect(try ledger.order(order.id)?.status == .declined)
        #expect(try ledger.order(order.id)?.statusReason == "insufficient funds")
    }

    @Test func anUnknownOrderCanStillBeSettled() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        try ledger.updateOrder(order.id, status: .unknown, gatewayTradeID: nil, reason: "no answer", at: base)
        let paid = try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "T9", reason: nil, at: base)
        #expect(paid.status == .paid)
        #expect(paid.statusReason == nil)
    }

    @Test func updatingAMissingOrderSaysSo() throws {
        let ledger = try SQLiteLedger.inMemory()
        let id = try OrderID("S250615120000NOPE00")
        #expect(throws: LedgerError.orderNotFound(id)) {
            try ledger.updateOrder(id, status: .paid, gatewayTradeID: nil, reason: nil, at: base)
        }
    }

    @Test func ordersByDateAreNewestFirstWithinAHalfOpenRange() throws {
        let ledger = try SQLiteLedger.inMemory()
        let orders = try (0..<4).map { index in
            try sampleOrder("S25061512000000000\(index)", createdAt: base.addingTimeInterval(Double(index) * 60))
        }
        for order in orders { try ledger.insert(order) }

        let found = try ledger.orders(createdFrom: orders[1].createdAt, to: orders[3].createdAt)

        #expect(found.map(\.id) == [orders[2].id, orders[1].id])
    }

    @Test func ordersByStatus() throws {
        let ledger = try SQLiteLedger.inMemory()
        let pending = try sampleOrder("S250615120000PEND01", createdAt: base)
        let unknown = try sampleOrder("S250615120000UNKN01", status: .unknown, createdAt: base.addingTimeInterval(1))
        try ledger.insert(pending)
        try ledger.insert(unknown)
        _ = try paidOrder(in: ledger)

        #expect(try ledger.orders(withStatus: [.pending, .unknown]).map(\.id) == [unknown.id, pending.id])
        #expect(try ledger.orders(withStatus: [.paid]).count == 1)
        #expect(try ledger.orders(withStatus: []).isEmpty)
    }

    @Test func noStoredColumnHoldsAFullPaymentCode() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let masked = try sampleOrder("S250615120000MASK01")
            // A caller slipping the full code into every free-text field.
            var careless = try sampleOrder("S250615120000FULL01")
            careless.maskedCode = scannedWeChatCode
            careless.statusReason = "code \(scannedWeChatCode) refused"
            try ledger.insert(masked)
            try ledger.insert(careless)
            try ledger.updateOrder(careless.id, status: .declined, gatewayTradeID: nil,
                                   reason: "gateway said \(scannedWeChatCode) expired", at: base)
            try ledger.appendEvent(LedgerEvent(orderID: careless.id, kind: .gatewayAnswer,
                                               detail: "auth_code=\(scannedWeChatCode)", at: base))
            try ledger.close()

            let raw = try rawConnection(path)
            let storedCodes = try raw.read { db in
                try String.fetchAll(db, sql: "SELECT masked_code FROM orders ORDER BY id")
            }
            #expect(storedCodes == ["1345**********6789", "1345**********6789"])
            // Every text cell of every table, searched for the code.
            let cells = try raw.read { db in
                try String.fetchAll(db, sql: """
                    SELECT subject || ' ' || IFNULL(masked_code, '') || ' ' || IFNULL(status_reason, '') FROM orders
                    UNION ALL SELECT detail FROM events
                    """)
            }
            #expect(cells.count == 6)  // 2 orders, 4 events
            #expect(!cells.contains { $0.contains(scannedWeChatCode) })
            #expect(cells.contains { $0.contains("gateway said 1345**********6789 expired") })
        }
    }

    @Test func sqliteItselfRefusesAFullCodeInTheMaskedColumn() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let order = try sampleOrder()
            try ledger.insert(order)

            let raw = try rawConnection(path)
            #expect(throws: DatabaseError.self) {
                try raw.write { db in
                    try db.execute(sql: "UPDATE orders SET masked_code = ? WHERE id = ?",
                                   arguments: [scannedWeChatCode, order.id.rawValue])
                }
            }
            #expect(try ledger.order(order.id)?.maskedCode == "1345**********6789")
        }
    }

    @Test func aPaidOrderStaysPaidEvenAgainstRawSQL() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let paid = try paidOrder(in: ledger)

            let raw = try rawConnection(path)
            #expect(throws: DatabaseError.self) {
                try raw.write { db in
                    try db.execute(sql: "UPDATE orders SET status = 'cancelled' WHERE id = ?", arguments: [paid.id.rawValue])
                }
            }
            #expect(throws: DatabaseError.self) {
                try raw.write { db in try db.execute(sql: "DELETE FROM orders") }
            }
            #expect(try ledger.order(paid.id) == paid)
        }
    }
}
