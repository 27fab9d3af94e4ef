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
}
