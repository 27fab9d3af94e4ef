import CheckoutCore
import Foundation

/// A verified notification, as the receiver hands it to the ledger.
public struct LedgerNotification: Sendable {
    public var orderID: OrderID
    /// The gateway whose route it came in on: it must be the one the order was made with.
    public var provider: String
    public var verdict: PaymentVerdict
    /// The raw body, for the event log. Payment codes are masked before it is stored.
    public var body: String
    public var at: Date
    /// How the notification is tied to the order.
    public var binding: Binding

    /// How the ledger ties a notification to the order it names.
    public enum Binding: Sendable, Equatable {
        /// The order number and amount name the order (a gateway that signs with our own key).
        case orderNumber
        /// A `paid` is applied only for the gateway trade recorded for the order; with none
        /// recorded it is refused as `.tradeUnconfirmed`, to be confirmed with the gateway. A
        /// `declined` is only noted: it cannot name its trade, and the till's own query decides.
        case recordedTrade
        /// The gateway's verified answer to our own question named this order and trade: it is
        /// recorded when the ledger has none, and refused when the ledger has another.
        case confirmedByGateway
    }

    public init(orderID: OrderID, provider: String, verdict: PaymentVerdict, body: String, at: Date,
                binding: Binding = .orderNumber) {
        self.orderID = orderID
        self.provider = provider
        self.verdict = verdict
        self.body = body
        self.at = at
        self.binding = binding
    }
}

/// What applying a verified notification did. Each is acknowledged to the gateway.
public enum NotificationOutcome: Sendable, Equatable {
    /// An open order became final (`paid` or `declined`).
    case applied(OrderStatus)
    /// The ledger already says so: nothing changed (the gateway resends; that is normal).
    case duplicate
    /// The order was already cancelled, closed, expired or declined, and the gateway says it
    /// is paid (or underpaid): the order is flagged for a person, its status kept.
    case paidAfterClose
    /// A paid order reported paid under another trade number: flagged for a person.
    case secondPayment
    /// An open order got less money than its price allows: made `declined` (not paid), with
    /// the money received recorded, and flagged for a person.
    case underpaid
    /// A pending or unknown refund became final (`refunded` or `failed`).
    case refundApplied(RefundStatus)
    /// The gateway refunded money the till never asked it to (its back office): recorded as
    /// an external refund of the order, which is flagged for a person.
    case externalRefund
    /// Not final ("not paid yet"): nothing to change.
    case noted
}

/// A verified refund notification (Paymax sends these).
public struct LedgerRefundNotification: Sendable {
    public var orderID: OrderID
    /// What the gateway names the refund by: our number, its own, the trade, the amount.
    public var notice: RefundNotice
    public var provider: String
    public var verdict: RefundVerdict
    public var body: String
    public var at: Date
    /// Under `.recordedTrade` the refund must be of the trade recorded for the order.
    public var binding: LedgerNotification.Binding

    public init(orderID: OrderID, notice: RefundNotice, provider: String, verdict: RefundVerdict, body: String, at: Date,
                binding: LedgerNotification.Binding = .orderNumber) {
        self.orderID = orderID
        self.notice = notice
        self.provider = provider
        self.verdict = verdict
        self.body = body
        self.at = at
        self.binding = binding
    }
}
