import CheckoutCore
import Foundation
import GRDB

/// One row of `refunds`, as stored. Maps to and from `Refund`; never leaves the module.
struct RefundRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "refunds"

    var id: String
    var orderID: String
    var sequence: Int64
    var amount: Int64
    var currency: String
    var reason: String
    var status: String
    var gatewayRefundID: String?
    var statusReason: String?
    var createdAt: Int64
    var updatedAt: Int64
    /// The lease of the process sending the refund now (see `Ledger.claimRefund`).
    var owner: String? = nil
    /// `till` or `external` (`RefundOrigin`).
    var origin: String

    enum CodingKeys: String, CodingKey {
        case id, sequence, amount, currency, reason, status, owner, origin
        case orderID = "order_id"
        case gatewayRefundID = "gateway_refund_id"
        case statusReason = "status_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func refund() throws(LedgerError) -> Refund {
        let orderID = try RowMapping.orderID(orderID, of: "refund \(id)")
        guard let status = RefundStatus(rawValue: status) else { throw .corrupt("refund \(id) has status \"\(status)\"") }
        guard let origin = RefundOrigin(rawValue: origin) else { throw .corrupt("refund \(id) has origin \"\(origin)\"") }
        let money = try RowMapping.money(amount, currency, of: "refund \(id)")
        return Refund(id: RefundID(rawValue: id), orderID: orderID, amount: money, reason: reason, status: status,
                      gatewayRefundID: gatewayRefundID, statusReason: statusReason, owner: owner,
                      createdAt: Date(ledgerMillis: createdAt), updatedAt: Date(ledgerMillis: updatedAt), origin: origin)
    }
}
