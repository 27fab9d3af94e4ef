/// How a checkout ended, as the cashier is told.
public enum CheckoutResult: Sendable, Equatable {
    /// Paid, confirmed by a verified answer for the order's exact amount.
    case paid(PaymentConfirmation)
    /// Money came in, but less than the price allows (`PaymentVerdict.underpaid`): not paid.
    /// The order is kept `declined` with what came in recorded, and flagged for a person.
    case underpaid(PaymentConfirmation)
    /// Refused clearly by the wallet: nothing was taken.
    case declined(Decline)
    /// Refused by the gateway as unauthorised or malformed: fix the configuration. Nothing was taken.
    case rejected(GatewayProblem)
    /// Cancelled at the gateway (the cashier stopped it, or it stayed unpaid too long).
    case cancelled(CancelReason)
    /// A QR order nobody paid in time: closed at the gateway, or — when the gateway cannot
    /// close orders (`closed` false) — given up at the till only, so a late payment is still
    /// recorded when its notification comes, and flagged.
    case expired(closed: Bool)
    /// The till could not settle the order: the cashier must check it before the customer leaves.
    case unknown(UnknownReason)

    /// The status the ledger keeps for an order that ended this way.
    public var orderStatus: OrderStatus {
        switch self {
        case .paid: .paid
        case .underpaid, .declined, .rejected: .declined
        case .cancelled: .cancelled
        case .expired: .expired
        case .unknown: .unknown
        }
    }

    /// The stable code of why it was cancelled or left unknown, for scripts; nil for other endings.
    public var reasonCode: String? {
        switch self {
        case .cancelled(let why): why.code
        case .unknown(let why): why.code
        case .paid, .underpaid, .declined, .rejected, .expired: nil
        }
    }

    /// One line in English: the ledger's note and `--json`'s message; the front ends word the
    /// result itself.
    public var summary: String {
        switch self {
        case .paid(let confirmation):
            "PAID \(confirmation.amount) (gateway trade \(confirmation.gatewayTradeID))"
                + (confirmation.received == confirmation.amount ? "" : "; \(confirmation.received) received")
        case .underpaid(let confirmation):
            "UNDERPAID: \(confirmation.receivedOfAmount) (gateway trade \(confirmation.gatewayTradeID)). Not paid: do not hand over the goods. Take the rest another way, or refund what came in through the gateway's back office."
        case .declined(let decline): "DECLINED: \(decline.reason.advice) (gateway: \(decline.gatewayMessage))"
        case .rejected(let problem): "NOT CHARGED: \(problem.description)"
        case .cancelled(let why): "CANCELLED: \(why.description). The customer was not charged."
        case .expired(closed: true): "EXPIRED: the customer did not pay in time; the QR order is closed. The customer was not charged."
        case .expired(closed: false): "EXPIRED at the till: the customer did not pay in time. The gateway cannot close the order, so a late payment will be flagged for the owner."
        case .unknown(let why): "OUTCOME UNKNOWN: \(why). Do not hand over the goods yet: check the customer's phone for a payment, then run `shroff status <order>` until it is settled."
        }
    }
}

/// Why a checkout was cancelled at the gateway: a value the front ends word in the cashier's
/// language; `description` is the English the ledger keeps, `code` a stable name for scripts.
public enum CancelReason: Sendable, Equatable, CustomStringConvertible {
    /// No final answer within the deadline, in seconds.
    case timedOut(seconds: Int64)
    /// The cashier pressed cancel.
    case cashier
    /// Left open by a till that stopped, and cleared away at the next start.
    case leftOver
    /// The QR order could not be created: the answer to the request.
    case creationFailed(Doubt)
    /// Cancelled for no reason the checkout recorded.
    case unspecified

    public var description: String {
        switch self {
        case .timedOut(let seconds): "no final answer within \(seconds) s, so the payment was cancelled"
        case .cashier: "cancelled by the cashier"
        case .leftOver: "it was left open by a till that stopped, and is now cancelled"
        case .creationFailed(let why): "the QR order could not be created (\(why))"
        case .unspecified: "cancelled"
        }
    }

    public var code: String {
        switch self {
        case .timedOut: "timed_out"
        case .cashier: "cashier"
        case .leftOver: "left_over"
        case .creationFailed: "creation_failed"
        case .unspecified: "unspecified"
        }
    }
}
