import Words

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

    /// The sentence for a terminal of `now`, in `words`' language.
    public func words(now: TerminalSize, _ words: Words) -> String {
        let size = "\(now.columns)×\(now.rows)"
        switch self {
        case .linkTooLarge(let needs):
            return words("qr.link_too_small", ["size": "\(needs.columns)×\(needs.rows)", "now": size])
        case .formWithoutLink:
            return words("qr.form_needs_link")
        case .tooLarge(let needs?):
            return words("qr.too_large", ["size": "\(needs.columns)×\(needs.rows)", "now": size])
        case .tooLarge(nil):
            return words("qr.too_large_any", ["now": size])
        }
    }
}
