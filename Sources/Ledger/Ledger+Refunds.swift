import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// Refund statuses that may have moved money, so count against what is left to refund.
    private static let committedStatuses = "('pending', 'unknown', 'refunded')"

    /// Writes a new refund down as `pending`, with its number, in one transaction: call it
    /// before the refund request leaves, and retry the request under the returned `id`.
    ///
    /// The order must exist and be paid; `amount` must be positive, in the order's currency,
    /// and at most the refundable remainder. The number is the order's next: `<order>R1`, `R2`…
    /// The refund belongs to this process (`claimRefund`) until it lets it go (`releaseRefund`).
    public func beginRefund(orderID: OrderID, amount: Money, reason: String, at: Date) throws(LedgerError) -> Refund {
        let row = try write { db -> RefundRow in
            guard let orderRow = try OrderRow.fetchOne(db, key: orderID.rawValue) else {
                throw LedgerError.orderNotFound(orderID)
            }
            let order = try orderRow.order()
            guard order.status == .paid else { throw LedgerError.orderNotPaid(order.status) }
            guard amount.currency == order.amount.currency else {
                throw LedgerError.currencyMismatch(order: order.amount.currency, requested: amount.currency)
            }
            guard amount.minorUnits > 0 else { throw LedgerError.amountNotPositive(amount) }
            let remaining = try Self.remainder(of: order, db)
            guard amount.minorUnits <= remaining.minorUnits else {
                throw LedgerError.refundExceedsRemainder(requested: amount, remaining: remaining)
            }
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM refunds WHERE order_id = ?",
                                          arguments: [orderID.rawValue]) ?? 0
            let sequence = last + 1
            let row = RefundRow(id: RefundID(order: orderID, sequence: Int(sequence)).rawValue, orderID: orderID.rawValue,
                                sequence: sequence, amount: amount.minorUnits, currency: amount.currency.code,
                                reason: SecretMask.scrub(reason), status: RefundStatus.pending.rawValue,
                                gatewayRefundID: nil, statusReason: nil,
                                createdAt: at.ledgerMillis, updatedAt: at.ledgerMillis, owner: lease?.id, origin: RefundOrigin.till.rawValue)
            try row.insert(db)
            try EventRow(LedgerEvent(orderID: orderID, refundID: RefundID(rawValue: row.id), kind: .refundCreated,
                                     detail: "pending: \(amount) of \(remaining) refundable: \(row.reason)", at: at)).insert(db)
            return row
        }
        return try row.refund()
    }

    /// Moves a refund to `status` and appends a `refundStatus` event, in one transaction.
    ///
    /// `refunded` and `failed` are final: the same status again is accepted, logged and
    /// changes nothing else; any other throws `.refundIsFinal`. A nil `gatewayRefundID`
    /// keeps the one already known; `reason` replaces the old one.
    @discardableResult
    public func updateRefund(_ id: RefundID, status: RefundStatus, gatewayRefundID: String?, reason: String?,
                             at: Date) throws(LedgerError) -> Refund {
        let row = try write { db -> RefundRow in
            guard var row = try RefundRow.fetchOne(db, key: id.rawValue) else { throw LedgerError.refundNotFound(id) }
            let current = try row.refund()
            let reason = reason.map(SecretMask.scrub)
            var detail: String
            if current.status.isFinal {
                guard status == current.status else {
                    throw LedgerError.refundIsFinal(id, status: current.status, requested: status)
                }
                detail = "\(current.status.rawValue) confirmed again; nothing changed"
            } else {
                row.status = status.rawValue
                row.gatewayRefundID = gatewayRefundID ?? row.gatewayRefundID
                row.statusReason = reason
                row.updatedAt = at.ledgerMillis
                try row.update(db)
                detail = "\(current.status.rawValue) → \(status.rawValue) (\(current.amount))"
                if let gatewayID = row.gatewayRefundID { detail += ", gateway refund \(gatewayID)" }
            }
            if let reason { detail += ": \(reason)" }
            try EventRow(LedgerEvent(orderID: current.orderID, refundID: id, kind: .refundStatus, detail: detail, at: at))
                .insert(db)
            return row
        }
        return try row.refund()
    }

    /// The order's refunds, in the order they were made.
    public func refunds(for orderID: OrderID) throws(LedgerError) -> [Refund] {
        let rows = try read { db in
            try RefundRow.fetchAll(db, sql: "SELECT * FROM refunds WHERE order_id = ? ORDER BY sequence",
                                   arguments: [orderID.rawValue])
        }
        return try Self.refunds(rows)
    }

    /// Refunds made in [start, end), of any order, oldest first.
    public func refunds(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Refund] {
        let rows = try read { db in
            try RefundRow.fetchAll(db, sql: Self.dayRefundsSQL, arguments: [start.ledgerMillis, end.ledgerMillis])
        }
        return try Self.refunds(rows)
    }

    /// What can still be refunded: the paid amount less every refund that is pending,
    /// unknown or refunded. Zero for an order that is not paid.
    public func refundableRemainder(of orderID: OrderID) throws(LedgerError) -> Money {
        try read { db in
            guard let row = try OrderRow.fetchOne(db, key: orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
            let order = try row.order()
            guard order.status == .paid else { return Money.zero(order.amount.currency) }
            return try Self.remainder(of: order, db)
        }
    }

    /// Refunds whose outcome is not known yet (pending or unknown), oldest first: the till
    /// asks the gateway about these, under the same refund number.
    public func unresolvedRefunds() throws(LedgerError) -> [Refund] {
        let rows = try read { db in
            try RefundRow.fetchAll(db, sql: Self.unresolvedRefundsSQL)
        }
        return try Self.refunds(rows)
    }

    static let unresolvedRefundsSQL = "SELECT * FROM refunds WHERE status IN ('pending', 'unknown') ORDER BY created_at, id"

    private static func remainder(of order: Order, _ db: Database) throws -> Money {
        let committed = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE order_id = ? AND status IN \(committedStatuses)
            """, arguments: [order.id.rawValue]) ?? 0
        return Money(minorUnits: max(0, order.amount.minorUnits - committed), currency: order.amount.currency)
    }

    private static func refunds(_ rows: [RefundRow]) throws(LedgerError) -> [Refund] {
        var refunds: [Refund] = []
        refunds.reserveCapacity(rows.count)
        for row in rows { refunds.append(try row.refund()) }
        return refunds
    }
}
