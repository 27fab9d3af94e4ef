/// Why an order is not settled yet: the last answer about it that was not final, as a value the
/// front ends word in the cashier's language. `description` is the English the ledger's notes
/// keep; `code` a stable name for scripts.
public enum Doubt: Sendable, Equatable, CustomStringConvertible {
    /// The customer is confirming the payment on the phone.
    case userPaying
    /// The order exists and is not paid yet.
    case notPaid
    /// The gateway has no such order yet.
    case notFound
    /// No clear answer (timeout, connection error, unsigned or unreadable reply): the gateway
    /// client's words, kept as they are.
    case noClearAnswer(String)
    /// The request was refused as unauthorised or malformed: the gateway's code and message.
    case refused(GatewayProblem)
    /// A clear refusal, in the gateway's own words.
    case declined(gatewayMessage: String)
    /// Money came in short of the order's amount.
    case underpaid(received: Money, amount: Money)
    /// The gateway said, in an answer that proves nothing, that the order is paid: its signed
    /// notification is awaited.
    case saysPaid
    /// Nothing was sent this time.
    case notSent

    public var description: String {
        switch self {
        case .userPaying: "the customer is confirming the payment on the phone"
        case .notPaid: "not paid yet"
        case .notFound: "the gateway has no such order yet"
        case .noClearAnswer(let why): "no clear answer: \(why)"
        case .refused(let problem): "request refused: \(problem.code) \(problem.message)"
        case .declined(let message): "declined: \(message)"
        case .underpaid(let received, let amount): "underpaid: \(received) of \(amount) received"
        case .saysPaid: "the gateway says the order is paid: waiting for its signed notification"
        case .notSent: "not sent"
        }
    }

    public var code: String {
        switch self {
        case .userPaying: "user_paying"
        case .notPaid: "not_paid"
        case .notFound: "not_found"
        case .noClearAnswer: "no_clear_answer"
        case .refused: "refused"
        case .declined: "declined"
        case .underpaid: "underpaid"
        case .saysPaid: "says_paid"
        case .notSent: "not_sent"
        }
    }
}

extension PaymentVerdict {
    /// What the verdict leaves open, or nil for a payment.
    public var doubt: Doubt? {
        switch self {
        case .paid: nil
        case .underpaid(let c): .underpaid(received: c.received, amount: c.amount)
        case .userPaying: .userPaying
        case .notPaid: .notPaid
        case .notFound: .notFound
        case .declined(let decline): .declined(gatewayMessage: decline.gatewayMessage)
        case .inDoubt(let why): .noClearAnswer(why)
        case .rejected(let problem): .refused(problem)
        }
    }
}
