import CheckoutCore
import Foundation

/// One row of `events`, as stored. `seq` is SQLite's: events read back in the order written.
package struct EventRow: Codable, Sendable {
    package var seq: Int64?
    package var orderID: String?
    package var refundID: String?
    package var kind: String
    package var detail: String
    package var at: Int64

    enum CodingKeys: String, CodingKey {
        case seq, kind, detail, at
        case orderID = "order_id"
        case refundID = "refund_id"
    }

    /// A row as stored, read back from a database.
    package init(seq: Int64?, orderID: String?, refundID: String?, kind: String, detail: String, at: Int64) {
        self.seq = seq
        self.orderID = orderID
        self.refundID = refundID
        self.kind = kind
        self.detail = detail
        self.at = at
    }

    package init(_ event: LedgerEvent) {
        seq = nil
        orderID = event.orderID?.rawValue
        refundID = event.refundID?.rawValue
        kind = event.kind.rawValue
        detail = SecretMask.scrub(event.detail)
        at = event.at.ledgerMillis
    }

    package func event() throws(LedgerError) -> LedgerEvent {
        let what = "event \(seq.map(String.init) ?? "?")"
        let orderID: OrderID?
        if let text = self.orderID { orderID = try RowMapping.orderID(text, of: what) } else { orderID = nil }
        return LedgerEvent(orderID: orderID, refundID: refundID.map(RefundID.init(rawValue:)),
                           kind: LedgerEvent.Kind(rawValue: kind), detail: detail, at: Date(ledgerMillis: at))
    }
}
