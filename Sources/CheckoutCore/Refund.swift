import Foundation

/// A refund's number, sent as `out_refund_no`: the order number, `R`, and a sequence number.
/// Created once, stored before the first request, and reused on every retry, so the gateway
/// refunds it at most once. A refund made outside the till is numbered with `X` instead: it
/// was never sent under any number of ours.
public struct RefundID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(order: OrderID, sequence: Int, origin: RefundOrigin = .till) {
        rawValue = "\(order.rawValue)\(origin == .till ? "R" : "X")\(sequence)"
    }
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

public enum RefundStatus: String, Sendable, Codable, CaseIterable {
    /// Written down; the request may be on the wire. Counts against what can still be refunded.
    case pending
    /// The gateway confirmed the refund.
    case refunded
    /// The gateway refused it clearly; nothing was refunded.
    case failed
    /// No clear answer: retry with the same refund number. Counts against what can still be refunded.
    case unknown

    public var isFinal: Bool { self == .refunded || self == .failed }
}

/// Who made a refund.
public enum RefundOrigin: String, Sendable, Codable, CaseIterable {
    /// The till asked for it, under its own refund number.
    case till
    /// The gateway reported a refund the till never asked for (made in its back office): the
    /// money left all the same, so it counts in the day's totals and against what is left to
    /// refund, and its order is flagged for a person. Never retried, never changed.
    case external
}

/// A refund of part or all of a paid order.
public struct Refund: Sendable, Equatable {
    public var id: RefundID
    public var orderID: OrderID
    public var amount: Money
    public var reason: String
    public var status: RefundStatus
    public var gatewayRefundID: String?
    public var statusReason: String?
    /// The process sending it now (its lease, as `Order.owner`); nil while nobody is.
    public var owner: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var origin: RefundOrigin

    public init(id: RefundID, orderID: OrderID, amount: Money, reason: String, status: RefundStatus = .pending,
                gatewayRefundID: String? = nil, statusReason: String? = nil, owner: String? = nil, createdAt: Date,
                updatedAt: Date? = nil, origin: RefundOrigin = .till) {
        self.id = id
        self.orderID = orderID
        self.amount = amount
        self.reason = reason
        self.status = status
        self.gatewayRefundID = gatewayRefundID
        self.statusReason = statusReason
        self.owner = owner
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.origin = origin
    }
}
