import Foundation

/// The answer to a manager PIN typed at the till. It never carries the PIN.
public enum PINCheck: Sendable, Equatable {
    /// The PIN is right; the wrong-attempt count is back to zero.
    case accepted
    /// The PIN is wrong; `attemptsLeft` more wrong PINs in a row lock the till's refunds.
    case rejected(attemptsLeft: Int)
    /// Too many wrong PINs in a row: no PIN is checked until `until`.
    case lockedOut(until: Date)
    /// No manager PIN is set (or its file cannot be read): refunds need `shroff set-pin` first.
    case notSet
}
