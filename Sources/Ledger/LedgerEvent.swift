import CheckoutCore
import Foundation

/// One line of the ledger's append-only event log: what happened, to which order or refund, when.
///
/// The ledger writes `created`, `status`, `refundCreated` and `refundStatus` events itself;
/// the till appends the rest (gateway answers, cashier notes). Once written, an event can be
/// neither changed nor deleted.
public struct LedgerEvent: Sendable, Equatable {
    /// What kind of thing happened. Open-ended: the till may add its own kinds.
    public struct Kind: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }

        /// An order was written down.
        public static let created: Kind = "created"
        /// An order's status changed, or a final status was confirmed again.
        public static let status: Kind = "status"
        /// A refund was written down.
        public static let refundCreated: Kind = "refund"
        /// A refund's status changed, or a final status was confirmed again.
        public static let refundStatus: Kind = "refund-status"
        /// A gateway's answer, in short.
        public static let gatewayAnswer: Kind = "gateway"
        /// Something a cashier or the owner wrote down.
        public static let note: Kind = "note"
        /// A verified notification from the gateway, with its body (codes masked).
        public static let notification: Kind = "notification"
        /// Another process took over an open order whose owner had died.
        public static let takenOver: Kind = "taken-over"
        /// A short pay link was given out for the order's QR code (the token is not written here).
        public static let payLink: Kind = "pay-link"
    }

    public var orderID: OrderID?
    public var refundID: RefundID?
    public var kind: Kind
    /// Words for people. Anything shaped like a payment code is masked when stored.
    public var detail: String
    public var at: Date

    public init(orderID: OrderID? = nil, refundID: RefundID? = nil, kind: Kind, detail: String, at: Date) {
        self.orderID = orderID
        self.refundID = refundID
        self.kind = kind
        self.detail = detail
        self.at = at
    }
}
