import Foundation

/// Everything the owner's pieces (manager PIN, receipts) can refuse or fail at, each with a
/// message the cashier or the shop's owner can act on.
///
/// Messages never contain a PIN, its hash or salt, or a payment code; they name files and the
/// system's reason only.
public enum OwnerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The new PIN breaks the rules (`rule` says which, without echoing the PIN).
    case pinNotAllowed(rule: String)
    /// A PIN is set already: changing it needs the current one.
    case pinAlreadySet
    /// The current PIN given to change it is wrong.
    case wrongPIN(attemptsLeft: Int)
    /// Too many wrong PINs in a row; try again after `until`.
    case pinLockedOut(until: Date)
    /// The PIN file exists but cannot be understood.
    case pinFileDamaged(path: String, reason: String)
    /// A file or device could not be read or written (`reason` is the system's words).
    case fileFailed(path: String, action: String, reason: String)
    /// The receipt printer could not be reached or refused the bytes.
    case printerFailed(path: String, reason: String)
    /// The printer takes Big5 or GB18030 and this machine cannot convert text to `set`.
    case printerCharactersMissing(set: String)

    public var description: String {
        switch self {
        case .pinNotAllowed(let rule):
            return "That PIN cannot be used: \(rule)"
        case .pinAlreadySet:
            return "A manager PIN is set already. To change it, give the current PIN as well."
        case .wrongPIN(let left):
            return left == 1
                ? "The current PIN is wrong. One more wrong PIN locks PIN entry for 5 minutes."
                : "The current PIN is wrong. \(left) more wrong PINs lock PIN entry for 5 minutes."
        case .pinLockedOut(let until):
            return "Too many wrong PINs: PIN entry is locked until \(ISO8601DateFormatter().string(from: until)). Wait, then try again."
        case .pinFileDamaged(let path, let reason):
            return "The manager PIN file \(path) is damaged (\(reason)). Remove it and set the PIN again with `shroff set-pin`."
        case .fileFailed(let path, let action, let reason):
            return "Could not \(action) \(path): \(reason). Check the folder exists and the till's user may write to it."
        case .printerFailed(let path, let reason):
            return "The receipt printer at \(path) did not take the receipt (\(reason)). Check it is switched on, plugged in and has paper; the receipt is still on screen."
        case .printerCharactersMissing(let set):
            return "The receipt was not printed: the printer takes \(set), and this machine's iconv has no \(set) module "
                + "(the C library's gconv modules are missing; on Debian, reinstall libc6). Install them, or set "
                + "[receipts] encoding = \"utf-8\" if the printer takes UTF-8; the receipt is still on screen."
        }
    }
}
