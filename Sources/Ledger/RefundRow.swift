import CheckoutCore
import Foundation

/// One row of `refunds`, as stored. Maps to and from `Refund`; never leaves the ledger's targets.
package struct RefundRow: Codable, Sendable {
    package var id: String
    package var orderID: String
    package var sequence: Int64
    package var amount: Int64
    package var currency: String
    package var reason: String
    package var status: String
    package var gatewayRefundID: String?
    package var statusReason: String?
    package var createdAt: Int64
    package var updatedAt: Int64
    /// The lease of the process sending the refund now (see `Ledger.claimRefund`).
    package var owner: String? = nil
    /// `till` or `external` (`RefundOrigin`).
    package var origin: String

    enum CodingKeys: String, CodingKey {
        case id, sequence, amount, currency, reason, status, owner, origin
        case orderID = "order_id"
        case gatewayRefundID = "gateway_refund_id"
        case statusReason = "status_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    package init(id: String, orderID: String, sequence: Int64, amount: Int64, currency: String, reason: String,
                 status: String, gatewayRefundID: String?, statusReason: String?, createdAt: Int64, updatedAt: Int64,
                 owner: String? = nil, origin: String) {
        self.id = id
        self.orderID = orderID
        self.sequence = sequence
        self.amount = amount
        self.currency = currency
        self.reason = reason
        self.status = status
        self.gatewayRefundID = gatewayRefundID
        self.statusReason = statusReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.owner = owner
        self.origin = origin
    }

    package func refund() throws(LedgerError) -> Refund {
        let orderID = try RowMapping.orderID(orderID, of: "refund \(id)")
        guard let status = RefundStatus(rawValue: status) else { throw .corrupt("refund \(id) has status \"\(status)\"") }
        guard let origin = RefundOrigin(rawValue: origin) else { throw .corrupt("refund \(id) has origin \"\(origin)\"") }
        let money = try RowMapping.money(amount, currency, of: "refund \(id)")
        return Refund(id: RefundID(rawValue: id), orderID: orderID, amount: money, reason: reason, status: status,
                      gatewayRefundID: gatewayRefundID, statusReason: statusReason, owner: owner,
                      createdAt: Date(ledgerMillis: createdAt), updatedAt: Date(ledgerMillis: updatedAt), origin: origin)
    }
}
