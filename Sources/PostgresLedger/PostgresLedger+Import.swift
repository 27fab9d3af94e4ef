import Ledger

extension PostgresLedger {
    /// What `importLedger` did: orders copied, and orders already here from an earlier import.
    public struct ImportResult: Sendable, Equatable {
        public var imported: Int
        public var alreadyThere: Int

        public init(imported: Int, alreadyThere: Int) {
            self.imported = imported
            self.alreadyThere = alreadyThere
        }
    }

    /// Copies another ledger's history into this store, as this till's, in one transaction:
    /// each order with its refunds, events and attempts, without an owner (any till may settle
    /// an open one). An order already here as the same sale is left as it is, with its history,
    /// so importing twice changes nothing; one whose number another sale has stops the import
    /// with `.importConflict`, and nothing is written.
    package func importLedger(_ export: LedgerExport) throws(LedgerError) -> ImportResult {
        try transaction(writing: true) { tx -> ImportResult in
            var result = ImportResult(imported: 0, alreadyThere: 0)
            var copied: Set<String> = []
            for var order in export.orders {
                if let existing = try tx.order(order.id) {
                    guard LedgerExport.sameSale(order, existing) else {
                        throw LedgerError.importConflict(try RowMapping.orderID(order.id, of: "an imported order"))
                    }
                    result.alreadyThere += 1
                    continue
                }
                // Taken by another store's sale: the number is the gateway's key in the whole database.
                if try tx.orderExists(order.id) {
                    throw LedgerError.importConflict(try RowMapping.orderID(order.id, of: "an imported order"))
                }
                order.owner = nil
                try tx.insert(order)
                copied.insert(order.id)
                result.imported += 1
            }
            for var refund in export.refunds where copied.contains(refund.orderID) {
                refund.owner = nil
                try tx.insert(refund)
            }
            for event in export.events where event.orderID.map(copied.contains) ?? false {
                try tx.append(event)
            }
            for attempt in export.attempts where copied.contains(attempt.orderID) {
                try tx.record(attempt)
            }
            return result
        }
    }
}
