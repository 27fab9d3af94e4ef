/// Why a QR order's code is not drawn, and what the cashier can do about it: the one wording
/// the till's screen and `shroff qr` share.
public enum UndrawnQR: Sendable, Equatable {
    /// The credential's code does not fit, and the short pay link's code needs `needs`.
    case linkTooLarge(needs: TerminalSize)
    /// The credential is a web page (an HTML form) and there is no pay link to carry it.
    case formWithoutLink
    /// The credential's code needs `needs` (nil: more than any QR code holds), and there is no
    /// pay link to draw instead.
    case tooLarge(needs: TerminalSize?)

    /// The sentence for a terminal of `now`.
    public func words(now: TerminalSize) -> String {
        let size = "now \(now.columns)×\(now.rows)"
        switch self {
        case .linkTooLarge(let needs):
            return "The pay link's QR code needs a terminal of at least \(needs.columns)×\(needs.rows) (\(size)). Make the window larger to show it, or shorten [notify] public_url."
        case .formWithoutLink:
            return "This payment opens a web page, which cannot be drawn as a QR code without a short pay link: set [notify] public_url (the notify server's address as customers' phones reach it) to show one."
        case .tooLarge(let needs):
            let needed = needs.map { "it needs \($0.columns)×\($0.rows), " } ?? ""
            return "This QR code is too large for this terminal (\(needed)\(size)). Set [notify] public_url to show a short pay link instead, or make the window larger."
        }
    }
}
