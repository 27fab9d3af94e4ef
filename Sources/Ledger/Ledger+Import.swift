import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// Writes many finished orders and their refunds at once, as given (statuses and dates
    /// included), each with its `created` or `refund` event saying it was imported; then
    /// refreshes the query planner's statistics (`ANALYZE`). For tests and `shroff-bench`,
    /// which need a year of orders in seconds, not for a till at work.
    ///
    /// Promises: one transaction, so all of it is written or none; the ledger's rules hold as
    /// for one-by-one writes (codes stored masked, free text scrubbed, amounts positive, no
    /// number taken twice, refunds only of paid orders in their currency and never more than
    /// was paid, counting pending and unknown ones). Refunds are numbered in the order given.
    /// Imported orders have no owner. Throws the error the one-by-one write would throw.
    public func importHistory(orders: [Order], refunds: [Refund]) throws(LedgerError) {
        var byID: [OrderID: Order] = [:]
        byID.reserveCapacity(orders.count)
        for order in orders {
            guard order.amount.minorUnits > 0 else { throw .amountNotPositive(order.amount) }
            guard byID.updateValue(order, forKey: order.id) == nil else { throw .duplicateOrder(order.id) }
        }
        var committed: [OrderID: Int64] = [:]
        var sequences: [OrderID: Int64] = [:]
        var refundRows: [(row: RefundRow, refund: Refund)] = []
        refundRows.reserveCapacity(refunds.count)
        for refund in refunds {
            guard let order = byID[refund.orderID] else { throw .orderNotFound(refund.orderID) }
            guard order.status == .paid else { throw .orderNotPaid(order.status) }
            guard refund.amount.currency == order.amount.currency else {
                throw .currencyMismatch(order: order.amount.currency, requested: refund.amount.currency)
            }
            guard refund.amount.minorUnits > 0 else { throw .amountNotPositive(refund.amount) }
            if refund.status != .failed {
                let total = committed[refund.orderID, default: 0] + refund.amount.minorUnits
                guard total <= order.amount.minorUnits else {
                    let left = order.amount.minorUnits - committed[refund.orderID, default: 0]
                    throw .refundExceedsRemainder(requested: refund.amount,
                                                  remaining: Money(minorUnits: left, currency: order.amount.currency))
                }
                committed[refund.orderID] = total
            }
            let sequence = sequences[refund.orderID, default: 0] + 1
            sequences[refund.orderID] = sequence
            refundRows.append((RefundRow(
                id: refund.id.rawValue, orderID: refund.orderID.rawValue, sequence: sequence,
                amount: refund.amount.minorUnits, currency: refund.amount.currency.code,
                reason: SecretMask.scrub(refund.reason), status: refund.status.rawValue,
                gatewayRefundID: refund.gatewayRefundID, statusReason: refund.statusReason.map(SecretMask.scrub),
                createdAt: refund.createdAt.ledgerMillis, updatedAt: refund.updatedAt.ledgerMillis,
                origin: refund.origin.rawValue), refund))
        }
        try write { db in
            for order in orders {
                var row = OrderRow(order)
                row.owner = nil
                guard try OrderRow.fetchOne(db, key: row.id) == nil else { throw LedgerError.duplicateOrder(order.id) }
                try row.insert(db)
                try EventRow(LedgerEvent(
                    orderID: order.id, kind: .created,
                    detail: "imported, \(order.status.rawValue): \(order.amount) by \(order.wallet.displayName) (\(order.method.rawValue)) via \(order.provider)",
                    at: order.createdAt)).insert(db)
            }
            for (row, refund) in refundRows {
                try row.insert(db)
                try EventRow(LedgerEvent(orderID: refund.orderID, refundID: refund.id, kind: .refundCreated,
                                         detail: "imported, \(row.status): \(refund.amount): \(row.reason)",
                                         at: refund.createdAt)).insert(db)
            }
        }
        _ = try write { db in try db.execute(sql: "ANALYZE") }
    }
}
