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
    case notApplicable(Inapplicable)
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
        case .notApplicable(let why): why.description
        case .gateway(let error): error.description
        }
    }
}

/// Why a request makes no sense for an order as it stands, as a value the front ends word.
public enum Inapplicable: Sendable, Equatable, CustomStringConvertible {
    /// The order is settled (`status`): there is nothing to settle.
    case alreadySettled(OrderID, OrderStatus)
    /// The order is settled (`status`): there is nothing to cancel.
    case nothingToCancel(OrderID, OrderStatus)
    /// A paid order is refunded, not cancelled; `backOffice` names a gateway that takes no
    /// refunds from the till, as its merchants write it.
    case paidNotCancellable(OrderID, backOffice: String?)
    /// Only a paid order can be refunded.
    case notPaid(OrderID, OrderStatus)
    /// Nothing is left to refund.
    case fullyRefunded(OrderID)

    public var description: String {
        switch self {
        case .alreadySettled(let id, let status): "Order \(id) is already \(status.rawValue); nothing to settle."
        case .nothingToCancel(let id, let status): "Order \(id) is already \(status.rawValue); nothing to cancel."
        case .paidNotCancellable(let id, let gateway?):
            "Order \(id) is paid; it cannot be cancelled, and \(gateway) takes no refunds from the till: refund this order in \(gateway)'s merchant back office. Nothing was sent."
        case .paidNotCancellable(let id, nil): "Order \(id) is paid; it cannot be cancelled. Refund it instead: `shroff refund \(id) --reason ...`."
        case .notPaid(let id, let status): "Order \(id) is \(status.rawValue), not paid: there is nothing to refund."
        case .fullyRefunded(let id): "Order \(id) is fully refunded: nothing is left to refund."
        }
    }
}
