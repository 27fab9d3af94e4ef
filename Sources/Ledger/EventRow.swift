import CheckoutCore
import Foundation
import GRDB

/// One row of `events`, as stored. `seq` is SQLite's: events read back in the order written.
struct EventRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "events"

    var seq: Int64?
    var orderID: String?
    var refundID: String?
    var kind: String
    var detail: String
    var at: Int64

    enum CodingKeys: String, CodingKey {
        case seq, kind, detail, at
        case orderID = "order_id"
        case refundID = "refund_id"
    }

    init(_ event: LedgerEvent) {
        seq = nil
        orderID = event.orderID?.rawValue
        refundID = event.refundID?.rawValue
        kind = event.kind.rawValue
        detail = SecretMask.scrub(event.detail)
        at = event.at.ledgerMillis
    }

    func event() throws(LedgerError) -> LedgerEvent {
        let what = "event \(seq.map(String.init) ?? "?")"
        let orderID: OrderID?
        if let text = self.orderID { orderID = try RowMapping.orderID(text, of: what) } else { orderID = nil }
        return LedgerEvent(orderID: orderID, refundID: refundID.map(RefundID.init(rawValue:)),
                           kind: LedgerEvent.Kind(rawValue: kind), detail: detail, at: Date(ledgerMillis: at))
    }
}
