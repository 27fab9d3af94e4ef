import CheckoutCore
import Foundation
import GRDB

/// One row of `attempts`, as stored. Maps to and from `GatewayAttempt`; never leaves the module.
struct AttemptRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "attempts"

    var id: String
    var orderID: String
    var operation: String
    var refundID: String?
    var startedAt: Int64
    var finishedAt: Int64?
    var outcome: String

    enum CodingKeys: String, CodingKey {
        case id, operation, outcome
        case orderID = "order_id"
        case refundID = "refund_id"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    init(_ attempt: GatewayAttempt) {
        id = attempt.id.uuidString
        orderID = attempt.orderID.rawValue
        operation = attempt.operation.rawValue
        refundID = attempt.refundID?.rawValue
        startedAt = attempt.startedAt.ledgerMillis
        finishedAt = attempt.finishedAt?.ledgerMillis
        outcome = SecretMask.scrub(attempt.outcome)
    }

    func attempt() throws(LedgerError) -> GatewayAttempt {
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
