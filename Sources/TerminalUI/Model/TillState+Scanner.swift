/// The scanner read as a device of its own (`[scanner] device`), as the screen hears of it.
/// Scans themselves arrive as `.input(.scan)`, like the keyboard-wedge detector's.
public enum ScannerStatus: Sendable, Equatable {
    /// The device is open (again). `note` says why it is not taken exclusively, when it is not.
    case connected(exclusive: Bool, note: String?)
    /// The device is unplugged or cannot be opened: what happened and what to do (never a code).
    case unavailable(String)
    /// The device sent something that is not a scan the till takes (never the data).
    case refused(String)
}

extension TillState {
    /// Keeps a lost scanner on screen until it is back; the keyboard works throughout.
    mutating func applyScanner(_ status: ScannerStatus) {
        switch status {
        case .connected(let exclusive, let note):
            let back = scannerProblem != nil
            scannerProblem = nil
            if !exclusive, let note {
                message = Notice(words(back ? "scanner.back_shared" : "scanner.shared", ["note": note]), .warning)
            } else if back {
                message = Notice(words("scanner.back"), .info)
            }
        case .unavailable(let why):
            scannerProblem = why
        case .refused(let why):
            message = Notice(words("scanner.refused", ["why": why]), .warning)
        }
    }
}
