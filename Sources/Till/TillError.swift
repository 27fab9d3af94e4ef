import CheckoutCore
import Ledger

/// Why the till could not do what was asked. Each message says what to do next.
public enum TillError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The order could not be written down, so no request was sent.
    case notRecorded(LedgerError)
    /// The ledger could not be read or written.
    case ledger(LedgerError)
    case orderNotFound(OrderID)
    /// The gateway (named) does not offer this; nothing was sent.
    case unsupported(gateway: String, what: String)
    /// Another live shroff on this ledger is running the order (a till waiting on its customer).
    case inProgressElsewhere(OrderID)
    /// Another live shroff on this ledger (or a task of this one) is sending the refund now.
    case refundInProgressElsewhere(RefundID)
    /// The order was made with a gateway this till is not configured for.
    case providerNotConfigured(OrderID, provider: String)
    /// The request makes no sense for this order as it stands.
    case notApplicable(String)
    case gateway(GatewayError)

    public var description: String {
        switch self {
        case .notRecorded(let error):
            "The order could not be written to the ledger, so nothing was sent to the gateway and the customer was not charged. \(error.description)"
        case .ledger(let error): error.description
        case .orderNotFound(let id): "No order \(id) in this till's ledger. Check the number with `shroff orders`."
        case .unsupported(let gateway, let what): "The \(gateway) gateway does not offer \(what), so nothing was sent."
        case .inProgressElsewhere(let id): "Order \(id) is being handled elsewhere: by another shroff on this ledger (a till waiting on its customer), or by this till settling it in the background. Nothing was sent; ask again in a moment."
        case .refundInProgressElsewhere(let id): "Refund \(id) is being sent elsewhere: by another shroff on this ledger (a till, or `shroff refund`), or by this till settling it in the background. Nothing was sent, so it cannot be paid twice; ask again in a moment."
        case .providerNotConfigured(let id, let provider): "Order \(id) was made with the \(provider) gateway, which this configuration has no [providers.\(provider)] table for. Add it to reach that order; nothing was sent."
        case .notApplicable(let why): why
        case .gateway(let error): error.description
        }
    }
}
