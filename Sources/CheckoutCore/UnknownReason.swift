/// Why the till could not settle an order (`CheckoutResult.unknown`), as a value the front ends
/// word in the cashier's language. `description` is the English the ledger's notes keep; `code`
/// a stable name for scripts.
public enum UnknownReason: Sendable, Equatable, CustomStringConvertible {
    /// The cancel (scan) or close (QR) did not go through after every attempt; the gateway
    /// client's last words, kept as they are.
    case notSettled(Settling, why: String)
    /// The gateway refused the cancel or close as unauthorised or malformed.
    case settleRefused(Settling, GatewayProblem)
    /// The gateway would not cancel or close, saying the order is paid, but its signed
    /// notification did not come within `seconds`.
    case paidUnconfirmed(Settling, seconds: Int64)
    /// The gateway would not cancel or close, saying the order is paid, but a query then said
    /// otherwise.
    case paidThenDoubted(Settling, Doubt)
    /// A verified answer reports a payment of another amount than the order's.
    case amountMismatch(reported: Money, ordered: Money)
    /// A verified answer reports money short of a price that is not the order's.
    case underpaidMismatch(received: Money, reported: Money, ordered: Money)
    /// The QR order could not be created, and this gateway cannot close it.
    case notCreatedNorClosable(Doubt)
    /// This gateway cannot cancel a payment, and its last answer (nil: none) was not final.
    case cannotCancel(Doubt?)

    public var description: String {
        switch self {
        case .notSettled(let settling, let why):
            "the order could not be \(settling.past) at the gateway (\(why)); the customer may still pay or may have paid"
        case .settleRefused(let settling, let problem):
            "the gateway refused to \(settling.rawValue) the order (\(problem.code): \(problem.message))"
        case .paidUnconfirmed(let settling, let seconds):
            "the gateway would not \(settling.rawValue) the order, saying it is paid, but its signed notification did not come within \(seconds) s"
        case .paidThenDoubted(let settling, let doubt):
            "the gateway would not \(settling.rawValue) the order, saying it is paid, but a query says: \(doubt)"
        case .amountMismatch(let reported, let ordered):
            "the gateway reports \(reported) paid for an order of \(ordered)"
        case .underpaidMismatch(let received, let reported, let ordered):
            "the gateway reports \(received) of \(reported) received for an order of \(ordered)"
        case .notCreatedNorClosable(let doubt):
            "the QR order could not be created (\(doubt)) and this gateway cannot close it"
        case .cannotCancel(let doubt?):
            "the gateway cannot cancel a payment and has not said it is final (\(doubt)); the customer may still pay or may have paid"
        case .cannotCancel(nil): "the gateway cannot cancel a payment and has not answered; the customer may still pay or may have paid"
        }
    }

    public var code: String {
        switch self {
        case .notSettled: "not_settled"
        case .settleRefused: "settle_refused"
        case .paidUnconfirmed: "paid_unconfirmed"
        case .paidThenDoubted: "paid_then_doubted"
        case .amountMismatch: "amount_mismatch"
        case .underpaidMismatch: "underpaid_mismatch"
        case .notCreatedNorClosable: "not_created_nor_closable"
        case .cannotCancel: "cannot_cancel"
        }
    }
}

/// How the till ends an order it gives up on at the gateway: a scanned payment is cancelled,
/// a QR order closed.
public enum Settling: String, Sendable, Equatable, CaseIterable {
    case cancel, close

    public init(_ method: PaymentMethod) { self = method == .scan ? .cancel : .close }

    var past: String { self == .cancel ? "cancelled" : "closed" }
}
