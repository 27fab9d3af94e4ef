import CheckoutCore
import Foundation

/// What the till asked a gateway to do.
public enum GatewayOperation: String, Sendable, Codable, CaseIterable {
    case pay, query, cancel, close, refund
    case createQRCode = "create-qrcode"
}

/// One request sent to a gateway for an order, as the ledger keeps it.
///
/// Record it when it starts (`finishedAt` nil) and again under the same `id` when the answer
/// arrives: an attempt left unfinished after a crash says a request may have reached the
/// gateway without the till learning the outcome.
public struct GatewayAttempt: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var orderID: OrderID
    public var operation: GatewayOperation
    /// The refund the request was for, when `operation` is `.refund`.
    public var refundID: RefundID?
    public var startedAt: Date
    public var finishedAt: Date?
    /// A short account of the answer ("paid", "timeout after 10 s", "USERPAYING").
    /// Never a key or a payment code: anything shaped like one is masked when stored.
    public var outcome: String

    public init(id: UUID = UUID(), orderID: OrderID, operation: GatewayOperation, refundID: RefundID? = nil,
                startedAt: Date, finishedAt: Date? = nil, outcome: String = "") {
        self.id = id
        self.orderID = orderID
        self.operation = operation
        self.refundID = refundID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
    }
}
