import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// Writes a new order down, with a `created` event. Call it before the order's first
    /// request leaves, so a crash never leaves a payment the ledger does not know.
    ///
    /// The payment code is stored masked whatever `order.maskedCode` holds. The order belongs
    /// to this process (`claim`) until it ends.
    /// Throws `.duplicateOrder` when the number is taken (the stored order is unchanged).
    public func insert(_ order: Order) throws(LedgerError) {
        guard order.amount.minorUnits > 0 else { throw .amountNotPositive(order.amount) }
        try rememberIdentityBeforeFirstOrder()
        var row = OrderRow(order)
        row.owner = lease?.id
        try write { db in
            guard try OrderRow.fetchOne(db, key: row.id) == nil else { throw LedgerError.duplicateOrder(order.id) }
            try row.insert(db)
            try EventRow(LedgerEvent(
                orderID: order.id, kind: .created,
                detail: "\(order.status.rawValue): \(order.amount) by \(order.wallet.displayName) (\(order.method.rawValue)) via \(order.provider)",
                at: order.createdAt)).insert(db)
        }
    }

    public func order(_ id: OrderID) throws(LedgerError) -> Order? {
        try read { db in try OrderRow.fetchOne(db, key: id.rawValue) }?.order()
    }

    /// Moves an order to `status` and appends a `status` event, in one transaction.
    ///
    /// From `pending` or `unknown` any status may follow. A final status never changes:
    /// the same status again (a late duplicate answer) is accepted, logged and changes
    /// nothing else; any other throws `.orderIsFinal`. So a `paid` order stays paid.
    /// A nil `gatewayTradeID` keeps the one already known; `reason` replaces the old one.
    @discardableResult
    public func updateOrder(_ id: OrderID, status: OrderStatus, gatewayTradeID: String?, reason: String?,
                            at: Date) throws(LedgerError) -> Order {
        let row = try write { db -> OrderRow in
            guard var row = try OrderRow.fetchOne(db, key: id.rawValue) else { throw LedgerError.orderNotFound(id) }
            let current = try row.order().status
            let reason = reason.map(SecretMask.scrub)
            var detail: String
            if current.isFinal {
                guard status == current else {
                    throw LedgerError.orderIsFinal(id, status: current, requested: status)
                }
                detail = "\(current.rawValue) confirmed again; nothing changed"
                if let gatewayTradeID, gatewayTradeID != row.gatewayTradeID {
                    detail += " (the answer named gateway trade \(gatewayTradeID); kept \(row.gatewayTradeID ?? "none"))"
                }
            } else {
                row.status = status.rawValue
                // Paid on the gateway's answer, which names no other figure: the amount came in.
                if status == .paid { row.received = row.received ?? row.amount }
                // Ended (or left unknown for a person): no process is running it any more, so
                // any shroff may ask about it now.
                if status != .pending { row.owner = nil }
                row.gatewayTradeID = gatewayTradeID ?? row.gatewayTradeID
                row.statusReason = reason
                row.updatedAt = at.ledgerMillis
                try row.update(db)
                detail = "\(current.rawValue) → \(status.rawValue)"
                if let trade = row.gatewayTradeID { detail += ", gateway trade \(trade)" }
            }
            if let reason { detail += ": \(reason)" }
            try EventRow(LedgerEvent(orderID: id, kind: .status, detail: detail, at: at)).insert(db)
            return row
        }
        return try row.order()
    }

    /// Orders created in `createdFrom ..< to`, newest first.
    public func orders(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Order] {
        let rows = try read { db in
            try OrderRow.fetchAll(db, sql: Self.dayOrdersSQL, arguments: [start.ledgerMillis, end.ledgerMillis])
        }
        return try Self.orders(rows)
    }

    /// Orders whose status is in `statuses`, newest first.
    public func orders(withStatus statuses: Set<OrderStatus>) throws(LedgerError) -> [Order] {
        guard !statuses.isEmpty else { return [] }
        let names = statuses.map(\.rawValue).sorted()
        let rows = try read { db in
            try OrderRow.fetchAll(db, sql: Self.openStatusSQL(count: names.count), arguments: StatementArguments(names))
        }
        return try Self.orders(rows)
    }

    static func openStatusSQL(count: Int) -> String {
        "SELECT * FROM orders WHERE status IN (\(databaseQuestionMarks(count: count))) ORDER BY created_at DESC, id DESC"
    }

    private static func orders(_ rows: [OrderRow]) throws(LedgerError) -> [Order] {
        var orders: [Order] = []
        orders.reserveCapacity(rows.count)
        for row in rows { orders.append(try row.order()) }
        return orders
    }
}
