/// Everything a ledger holds, row by row as stored, to move a shop's history to another
/// backend (`shroff ledger import`): orders and refunds oldest first, events in the order
/// written, attempts in the order sent.
package struct LedgerExport: Sendable {
    package var orders: [OrderRow]
    package var refunds: [RefundRow]
    package var events: [EventRow]
    package var attempts: [AttemptRow]

    package init(orders: [OrderRow], refunds: [RefundRow], events: [EventRow], attempts: [AttemptRow]) {
        self.orders = orders
        self.refunds = refunds
        self.events = events
        self.attempts = attempts
    }

    /// True when `other` is the same sale as `order`: the same gateway, method, wallet, amount
    /// and moment. Its status may differ (it went on being settled where it now lives).
    package static func sameSale(_ order: OrderRow, _ other: OrderRow) -> Bool {
        order.provider == other.provider && order.method == other.method && order.wallet == other.wallet
            && order.amount == other.amount && order.currency == other.currency && order.createdAt == other.createdAt
    }
}
