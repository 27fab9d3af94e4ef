import CheckoutCore
import Foundation

/// One row of `attempts`, as stored. Maps to and from `GatewayAttempt`; never leaves the ledger's targets.
package struct AttemptRow: Codable, Sendable {
    package var id: String
    package var orderID: String
    package var operation: String
    package var refundID: String?
    package var startedAt: Int64
    package var finishedAt: Int64?
    package var outcome: String

    enum CodingKeys: String, CodingKey {
        case id, operation, outcome
        case orderID = "order_id"
        case refundID = "refund_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// A row as stored, read back from a database.
    package init(id: String, orderID: String, operation: String, refundID: String?, startedAt: Int64, finishedAt: Int64?,
                 outcome: String) {
        self.id = id
        self.orderID = orderID
        self.operation = operation
        self.refundID = refundID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
    }

    package init(_ attempt: GatewayAttempt) {
        id = attempt.id.uuidString
        orderID = attempt.orderID.rawValue
        operation = attempt.operation.rawValue
        refundID = attempt.refundID?.rawValue
        startedAt = attempt.startedAt.ledgerMillis
        finishedAt = attempt.finishedAt?.ledgerMillis
        outcome = SecretMask.scrub(attempt.outcome)
    }

    package func attempt() throws(LedgerError) -> GatewayAttempt {
        guard let uuid = UUID(uuidString: id) else { throw .corrupt("attempt \"\(id)\" has an invalid id") }
        let orderID = try RowMapping.orderID(orderID, of: "attempt \(id)")
        guard let operation = GatewayOperation(rawValue: operation) else {
            throw .corrupt("attempt \(id) has operation \"\(operation)\"")
        }
        return GatewayAttempt(id: uuid, orderID: orderID, operation: operation, refundID: refundID.map(RefundID.init(rawValue:)),
                              startedAt: Date(ledgerMillis: startedAt), finishedAt: finishedAt.map(Date.init(ledgerMillis:)),
                              outcome: outcome)
    }
}
