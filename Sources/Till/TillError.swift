import CheckoutCore
import Ledger

/// Why the till could not do what was asked. Each message says what to do next.
public enum TillError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The order could not be written down, so no request was sent.
    case notRecorded(LedgerError)
    /// The ledger could not be read or written.
    case ledger(LedgerError)
    case orderNotFound(OrderID)
    case unsupported(String)
    /// The request makes no sense for this order as it stands.
    case notApplicable(String)
    case gateway(GatewayError)

    public var description: String {
        switch self {
        case .notRecorded(let error):
            "The order could not be written to the ledger, so nothing was sent to the gateway and the customer was not charged. \(error.description)"
        case .ledger(let error): error.description
        case .orderNotFound(let id): "No order \(id) in this till's ledger. Check the number with `shroff orders`."
        case .unsupported(let what): "The configured gateway does not support \(what)."
        case .notApplicable(let why): why
        case .gateway(let error): error.description
        }
    }
}
