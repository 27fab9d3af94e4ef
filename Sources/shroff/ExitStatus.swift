import CheckoutCore

/// The exit codes scripts rely on (README, "Exit codes").
enum ExitStatus: Int32, Error {
    /// Paid, or the command did what was asked.
    case done = 0
    /// Usage or configuration error: nothing was sent.
    case usage = 1
    /// Declined or failed: nothing was taken (or refunded).
    case declined = 2
    /// Cancelled or expired.
    case cancelled = 3
    /// Outcome unknown: the order or refund needs attention.
    case attention = 4

    init(_ result: CheckoutResult) {
        switch result {
        case .paid: self = .done
        case .declined: self = .declined
        case .rejected: self = .usage
        case .cancelled, .expired: self = .cancelled
        case .underpaid, .unknown: self = .attention
        }
    }

    init(_ status: OrderStatus) {
        switch status {
        case .paid: self = .done
        case .declined: self = .declined
        case .cancelled, .expired: self = .cancelled
        case .pending, .unknown: self = .attention
        }
    }
}

/// An error the command line reports in one line, exiting 1 (usage or configuration).
struct ShroffFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
