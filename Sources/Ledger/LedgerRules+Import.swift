import CheckoutCore
import Foundation

extension LedgerRules {
    /// The rows `importHistory` writes, checked as the one-by-one writes would check them:
    /// amounts positive, no number taken twice, refunds only of paid orders in their currency
    /// and never more than was paid (pending and unknown refunds count). Orders have no owner;
    /// refunds are numbered in the order given. Throws the error the one-by-one write would throw.
    package static func importRows(orders: [Order], refunds: [Refund]) throws(LedgerError)
        -> (orders: [OrderRow], refunds: [(row: RefundRow, refund: Refund)]) {
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
        var orderRows: [OrderRow] = []
        orderRows.reserveCapacity(orders.count)
        for order in orders {
            var row = OrderRow(order)
            row.owner = nil
            orderRows.append(row)
        }
        return (orderRows, refundRows)
    }

    /// The `created` event of an imported order.
    package static func importedEvent(_ order: Order) -> EventRow {
        EventRow(LedgerEvent(
            orderID: order.id, kind: .created,
            detail: "imported, \(order.status.rawValue): \(order.amount) by \(order.wallet.displayName) (\(order.method.rawValue)) via \(order.provider)",
            at: order.createdAt))
    }

    /// The `refund` event of an imported refund.
    package static func importedEvent(_ refund: Refund, _ row: RefundRow) -> EventRow {
        EventRow(LedgerEvent(orderID: refund.orderID, refundID: refund.id, kind: .refundCreated,
                             detail: "imported, \(row.status): \(refund.amount): \(row.reason)", at: refund.createdAt))
    }
}
