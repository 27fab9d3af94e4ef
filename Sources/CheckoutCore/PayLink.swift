import Foundation

/// A short pay link: `<public_url>/pay/<token>`, which the notify server answers with the QR
/// order's credential (a redirect to a URL, or a page that posts a form). The till draws it
/// where the credential itself cannot be drawn: too long for the terminal, or an HTML form.
public enum PayLink {
    /// The notify server's route for pay links.
    public static let pathPrefix = "/pay/"

    /// The link for `token` under the notify server's public address (no trailing slash).
    public static func url(publicURL: String, token: String) -> String { publicURL + pathPrefix + token }

    /// True when a credential is an HTML form a browser must post (Paymax's lakala channels),
    /// not a URL or a code a phone can read from a QR code.
    public static func isForm(_ credential: String) -> Bool {
        credential.drop { $0.isWhitespace }.prefix(5).lowercased() == "<form"
    }

    /// True when `text` is an absolute http(s) URL with a host, in printable ASCII: the only
    /// address a pay link sends a browser to (never `javascript:`, `data:` or an app's scheme).
    public static func isWebAddress(_ text: String) -> Bool {
        // No space or control character: nothing a header or a browser could read another way.
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }),
              let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = parts.host, !host.isEmpty else { return false }
        return true
    }

    /// True when a pay link can carry `credential`: a form, or a web address. A wallet's own
    /// code (`weixin://…`) is drawn as it is, never linked.
    public static func canCarry(_ credential: String) -> Bool {
        isForm(credential) || isWebAddress(credential)
    }
}
