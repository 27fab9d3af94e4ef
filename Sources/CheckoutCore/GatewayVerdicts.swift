import Foundation

/// A gateway's confirmation that an order is paid, taken from a verified answer.
public struct PaymentConfirmation: Sendable, Equatable {
    /// The gateway's own trade number.
    public var gatewayTradeID: String
    /// The amount the gateway says it charged, converted at the gateway's edge.
    public var amount: Money
    /// When the gateway says the payment completed, as it wrote it.
    public var paidAt: String?
    /// The money that really came in: CloudPay's `realprice`, which such gateways shift from
    /// the price by a few fen to tell payers apart; `amount` wherever the gateway reports no
    /// other figure. The ledger records it as the order's money received.
    public var received: Money
    /// What a person must look at although the verdict stands (a customer who paid more than
    /// the price and its allowed shift); the ledger flags the order with it.
    public var attention: String?

    /// `received` defaults to `amount`.
    public init(gatewayTradeID: String, amount: Money, paidAt: String? = nil, received: Money? = nil, attention: String? = nil) {
        self.gatewayTradeID = gatewayTradeID
        self.amount = amount
        self.paidAt = paidAt
        self.received = received ?? amount
        self.attention = attention
    }

    /// "CNY 8.50 of CNY 12.30 received": what came in of what was asked.
    public var receivedOfAmount: String { "\(received) of \(amount) received" }
}

/// Why a gateway refused a payment, in terms a cashier can act on.
public enum DeclineReason: String, Sendable, Equatable, CaseIterable {
    case insufficientFunds
    case cardNotSupported
    case bankError
    case tradeError
    case codeInvalid
    case codeExpired
    case unsupportedCurrency
    case orderInvalid
    case paymentFailed
    /// The request never reached the gateway (no connection): certainly nothing was taken.
    case gatewayUnreachable

    /// What the cashier should tell the customer or do next.
    public var advice: String {
        switch self {
        case .insufficientFunds: "The customer's balance is too low. Ask for another card in the wallet or another way to pay."
        case .cardNotSupported: "The wallet's card is not accepted here. Ask the customer to switch card in the wallet or pay another way."
        case .bankError: "The customer's bank refused the payment. Ask the customer to pay another way."
        case .tradeError: "The wallet refused the trade. Ask the customer to pay another way."
        case .codeInvalid: "The payment code is not valid. Ask the customer to refresh the code on the phone and scan again."
        case .codeExpired: "The payment code has expired. Ask the customer to refresh the code on the phone and scan again."
        case .unsupportedCurrency: "The wallet does not take this currency. Check the store's currency in the configuration."
        case .orderInvalid: "The gateway does not accept this order. Start a new sale."
        case .paymentFailed: "The payment failed in the wallet. Ask the customer to try again or pay another way."
        case .gatewayUnreachable: "The gateway could not be reached, so nothing was charged. Check the network and try again."
        }
    }

    /// True when scanning a fresh code may succeed.
    public var rescan: Bool { self == .codeInvalid || self == .codeExpired }
}

/// A clear refusal: no money was taken.
public struct Decline: Sendable, Equatable, CustomStringConvertible {
    public var reason: DeclineReason
    /// The gateway's own words (return_msg / description), for the record.
    public var gatewayMessage: String

    public init(_ reason: DeclineReason, gatewayMessage: String) {
        self.reason = reason
        self.gatewayMessage = gatewayMessage
    }

    public var description: String { "\(reason.advice) (gateway: \(gatewayMessage))" }
}

/// The gateway refused the request itself (signature, account, parameters): the till's
/// configuration needs fixing. Nothing was charged.
public struct GatewayProblem: Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
    public var description: String {
        "The gateway refused the request (\(code): \(message)). Check the gateway settings in the configuration (accounts, key, currency)."
    }
    public static let unsupported = GatewayProblem(code: "UNSUPPORTED", message: "this gateway does not offer that")
}

/// What a gateway's answer about a payment means. Only a verified, signed answer can say `paid`.
public enum PaymentVerdict: Sendable, Equatable {
    case paid(PaymentConfirmation)
    /// Signed word that money came in for the order, but less than its price allows: the
    /// confirmation's `received` falls short of its `amount` by more than the gateway lets a
    /// price shift (CloudPay's `max_price_adjustment`). Not paid: the ledger records what came
    /// in and flags the order for a person.
    case underpaid(PaymentConfirmation)
    /// The customer is confirming on the phone: ask again with the same order number.
    case userPaying
    /// The order exists and is not paid yet.
    case notPaid
    /// The gateway has no such order.
    case notFound
    /// A clear refusal: nothing was taken.
    case declined(Decline)
    /// No clear answer (timeout, connection error, server error, unsigned or unreadable reply):
    /// the payment may have gone through.
    case inDoubt(String)
    /// The request was refused as unauthorised or malformed: a configuration error.
    case rejected(GatewayProblem)

    /// The verdict in plain English: the notes the checkout records while it waits ("not paid
    /// yet", "no clear answer: …"). The front ends word `doubt` instead.
    public var cashierWords: String { doubt?.description ?? "paid" }

    /// The verdict in the ledger's attempt log, terse and complete (the amount and trade
    /// number of a payment, the reason code of a decline): also the gateway's answer that
    /// `shroff status` shows.
    public var logWords: String {
        switch self {
        case .paid(let c): "paid \(c.amount)" + (c.received == c.amount ? "" : ", \(c.received) received") + " (trade \(c.gatewayTradeID))"
        case .underpaid(let c): "underpaid: \(c.receivedOfAmount) (trade \(c.gatewayTradeID))"
        case .userPaying: "user paying"
        case .notPaid: "not paid"
        case .notFound: "no such order"
        case .declined(let decline): "declined: \(decline.reason.rawValue) (\(decline.gatewayMessage))"
        case .inDoubt(let why): "in doubt: \(why)"
        case .rejected(let problem): "refused: \(problem.code) \(problem.message)"
        }
    }
}

/// What a QR order's creation gave.
public enum QRCreation: Sendable, Equatable {
    /// The text to draw as a QR code (a `weixin://` or `https://qr.alipay.com/` link), and the
    /// gateway's own number for the order when the answer gives one (recorded at once: some
    /// gateways can only be queried or refunded by it).
    case created(payload: String, gatewayOrderID: String? = nil)
    case failed(PaymentVerdict)
}

/// The answer to cancelling (reversing) or closing an order.
public enum CancelVerdict: Sendable, Equatable {
    case cancelled
    /// The gateway says the order is paid and so was not cancelled.
    case alreadyPaid
    /// No clear answer, or refused for now (the user is still paying): try again.
    case failed(String)
    /// Refused as unauthorised or malformed: trying again will not help.
    case rejected(GatewayProblem)
}

/// The answer to a refund request.
public enum RefundVerdict: Sendable, Equatable {
    case refunded(gatewayRefundID: String)
    /// Accepted and not finished (Paymax): neither refunded nor failed. A later answer or a
    /// refund notification settles it. `confirmationURL`, when given, is a page the owner must
    /// open and confirm before the wallet pays the money back (Alipay).
    case processing(gatewayRefundID: String, confirmationURL: String?)
    /// A clear refusal: nothing was refunded.
    case declined(String)
    /// No clear answer: retry with the same refund number.
    case inDoubt(String)
    case rejected(GatewayProblem)
}
