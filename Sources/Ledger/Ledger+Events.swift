import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// Appends `event` to the log. The order and refund it names must be in the ledger;
    /// a refund's own order is filled in when only the refund is named.
    public func appendEvent(_ event: LedgerEvent) throws(LedgerError) {
        var row = EventRow(event)
        try write { db in
            if let refundID = event.refundID {
                guard let refund = try RefundRow.fetchOne(db, key: refundID.rawValue),
                      event.orderID == nil || event.orderID?.rawValue == refund.orderID
                else { throw LedgerError.refundNotFound(refundID) }
                row.orderID = refund.orderID
            } else if let orderID = event.orderID {
                guard try OrderRow.exists(db, key: orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
            }
            try row.insert(db)
        }
    }

    /// The order's events (its refunds' included), in the order they were written.
    public func events(for orderID: OrderID) throws(LedgerError) -> [LedgerEvent] {
        let rows = try read { db in
            try EventRow.fetchAll(db, sql: "SELECT * FROM events WHERE order_id = ? ORDER BY seq",
                                  arguments: [orderID.rawValue])
        }
        var events: [LedgerEvent] = []
        for row in rows { events.append(try row.event()) }
        return events
    }
}
