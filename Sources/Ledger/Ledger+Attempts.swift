import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// Records a request to a gateway. Recording again under the same `id` sets its
    /// `finishedAt` and `outcome` (the rest of a recorded attempt never changes).
    public func recordAttempt(_ attempt: GatewayAttempt) throws(LedgerError) {
        let row = AttemptRow(attempt)
        try write { db in
            guard try OrderRow.exists(db, key: row.orderID) else { throw LedgerError.orderNotFound(attempt.orderID) }
            if let refundID = attempt.refundID, try !RefundRow.exists(db, key: refundID.rawValue) {
                throw LedgerError.refundNotFound(refundID)
            }
            try db.execute(sql: """
                INSERT INTO attempts (id, order_id, operation, refund_id, started_at, finished_at, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome
                """, arguments: [row.id, row.orderID, row.operation, row.refundID, row.startedAt, row.finishedAt, row.outcome])
        }
    }

    /// The requests sent for an order, oldest first.
    public func attempts(for orderID: OrderID) throws(LedgerError) -> [GatewayAttempt] {
        let rows = try read { db in
            try AttemptRow.fetchAll(db, sql: "SELECT * FROM attempts WHERE order_id = ? ORDER BY started_at, rowid",
                                    arguments: [orderID.rawValue])
        }
        var attempts: [GatewayAttempt] = []
        for row in rows { attempts.append(try row.attempt()) }
        return attempts
    }
}
