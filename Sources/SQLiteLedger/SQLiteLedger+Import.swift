import CheckoutCore
import Foundation
import GRDB
import Ledger

extension SQLiteLedger {
    /// Writes many finished orders and their refunds at once, as given (statuses and dates
    /// included), each with its `created` or `refund` event saying it was imported; then
    /// refreshes the query planner's statistics (`ANALYZE`). For tests and `shroff-bench`,
    /// which need a year of orders in seconds, not for a till at work.
    ///
    /// Promises: one transaction, so all of it is written or none; the ledger's rules hold as
    /// for one-by-one writes (codes stored masked, free text scrubbed, amounts positive, no
    /// number taken twice, refunds only of paid orders in their currency and never more than
    /// was paid, counting pending and unknown ones). Refunds are numbered in the order given.
    /// Imported orders have no owner. Throws the error the one-by-one write would throw.
    public func importHistory(orders: [Order], refunds: [Refund]) throws(LedgerError) {
        let rows = try LedgerRules<SQLiteLedger>.importRows(orders: orders, refunds: refunds)
        try write { db in
            for (order, row) in zip(orders, rows.orders) {
                guard try OrderRow.fetchOne(db, key: row.id) == nil else { throw LedgerError.duplicateOrder(order.id) }
                try row.insert(db)
                try LedgerRules<SQLiteLedger>.importedEvent(order).insert(db)
            }
            for (row, refund) in rows.refunds {
                try row.insert(db)
                try LedgerRules<SQLiteLedger>.importedEvent(refund, row).insert(db)
            }
        }
        _ = try write { db in try db.execute(sql: "ANALYZE") }
    }
}

extension SQLiteLedger {
    /// Every row of the ledger, read in one transaction (`shroff ledger import`).
    package func exportHistory() throws(LedgerError) -> LedgerExport {
        try read { db in
            LedgerExport(orders: try OrderRow.fetchAll(db, sql: "SELECT * FROM orders ORDER BY created_at, id"),
                         refunds: try RefundRow.fetchAll(db, sql: "SELECT * FROM refunds ORDER BY created_at, id"),
                         events: try EventRow.fetchAll(db, sql: "SELECT * FROM events ORDER BY seq"),
                         attempts: try AttemptRow.fetchAll(db, sql: "SELECT * FROM attempts ORDER BY started_at, rowid"))
        }
    }
}
