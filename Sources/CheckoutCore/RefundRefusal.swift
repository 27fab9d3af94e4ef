/// Why a refund failed, nothing refunded, as a value the front ends word in the cashier's
/// language. `description` is the English the ledger's notes keep; `code` a stable name for
/// scripts.
public enum RefundRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The gateway declined it, in its own words.
    case declined(String)
    /// The gateway refused the request as unauthorised or malformed.
    case rejected(GatewayProblem)
    /// The ledger's note for a refund settled earlier, as it was written (nil: none).
    case recorded(String?)

    public var description: String {
        switch self {
        case .declined(let why): why
        case .rejected(let problem): problem.description
        case .recorded(let note): note ?? "refused by the gateway"
        }
    }

    public var code: String {
        switch self {
        case .declined: "declined"
        case .rejected: "rejected"
        case .recorded: "recorded"
        }
    }
}
