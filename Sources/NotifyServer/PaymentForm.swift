import CheckoutCore
import Foundation

/// A gateway's payment form (Paymax's lakala credential: `<form method="post" action="…">`
/// with hidden `<input name value>` fields), read into values so the pay page can write it
/// again with every value escaped: nothing of the credential reaches the page as markup.
struct PaymentForm: Sendable {
    var action: String
    /// `post` or `get`.
    var method: String
    var fields: [(name: String, value: String)]

    /// The form in `html`; nil when it has no `<form>` tag, or its action is not an http(s) URL
    /// with a host (`PayLink.isWebAddress`: a `javascript:` action would run on the shop's own address).
    init?(html: String) {
        guard let (formTag, formEnd) = Self.tags(named: "form", in: html).first,
              let action = formTag["action"], PayLink.isWebAddress(action) else { return nil }
        self.action = action
        method = formTag["method"]?.lowercased() == "get" ? "get" : "post"
        // The form's own inputs only, as a browser posts them: up to its end tag (or the page's end).
        let rest = html[formEnd...]
        let inside = rest.range(of: "</form", options: .caseInsensitive).map { rest[..<$0.lowerBound] } ?? rest
        fields = Self.tags(named: "input", in: String(inside)).compactMap { input, _ in
            guard let name = input["name"], !name.isEmpty else { return nil }
            return (name, input["value"] ?? "")
        }
    }

    /// The page a customer's browser gets: it posts the form at once, with a button for a
    /// browser without JavaScript.
    var page: String {
        let inputs = fields.map { #"<input type="hidden" name="\#(Self.escape($0.name))" value="\#(Self.escape($0.value))">"# }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta name="referrer" content="no-referrer"><title>Pay</title></head>
            <body style="font-family:sans-serif;text-align:center;margin-top:20vh">
            <form id="pay" method="\(method)" action="\(Self.escape(action))">
            \(inputs.joined(separator: "\n"))
            <p>Opening the payment page…</p><button type="submit">Continue to pay</button>
            </form>
            <script>document.getElementById("pay").submit();</script>
            </body></html>
            """
    }

    /// `text` safe inside a double-quoted attribute or as element text.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The attributes of each `<name …>` tag in `html` (names lower-cased, values with their
    /// character references read), and where in `html` the tag ends.
    static func tags(named name: String, in html: String) -> [(attributes: [String: String], end: String.Index)] {
        let pattern = "<\(name)\\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
        guard let tag = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let attribute = try? NSRegularExpression(pattern: #"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#) else {
            return []
        }
        let whole = NSRange(html.startIndex..., in: html)
        return tag.matches(in: html, range: whole).compactMap { match -> ([String: String], String.Index)? in
            guard let inner = Range(match.range(at: 1), in: html), let tagRange = Range(match.range, in: html) else { return nil }
            let text = String(html[inner])
            var attributes: [String: String] = [:]
            for found in attribute.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let key = Range(found.range(at: 1), in: text) else { continue }
                let value = (2...4).lazy.compactMap { Range(found.range(at: $0), in: text) }.first.map { String(text[$0]) } ?? ""
                attributes[text[key].lowercased()] = unescape(value)
            }
            return (attributes, tagRange.upperBound)
        }
    }

    /// `text` with its character references read, in one pass, as a browser reads an
    /// attribute's value: numeric ones (`&#47;`, `&#x2F;`) and the named ones of markup; any
    /// other `&` stays as it is. A value read otherwise would be posted changed, and its
    /// form's signature would fail.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "&", let (scalar, length) = reference(scalars[index...]) {
                out.append(scalar)
                index += length
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }

    static let namedReferences: [(name: String, scalar: Unicode.Scalar)] = [
        ("amp;", "&"), ("lt;", "<"), ("gt;", ">"), ("quot;", "\""), ("apos;", "'"),
    ]

    /// The character the reference at the start of `text` (at its `&`) stands for, and how many
    /// scalars it spans; nil when none starts there. A number that is no character (0, a
    /// surrogate, past U+10FFFF) reads as U+FFFD, as in a browser.
    static func reference(_ text: ArraySlice<Unicode.Scalar>) -> (Unicode.Scalar, Int)? {
        let afterAmpersand = text.dropFirst()
        for (name, scalar) in namedReferences where afterAmpersand.starts(with: name.unicodeScalars) {
            return (scalar, 1 + name.unicodeScalars.count)
        }
        guard afterAmpersand.first == "#" else { return nil }
        var rest = afterAmpersand.dropFirst()
        let hex = rest.first == "x" || rest.first == "X"
        if hex { rest = rest.dropFirst() }
        let digits = rest.prefix { hex ? $0.properties.isASCIIHexDigit : ("0"..."9").contains($0) }
        guard !digits.isEmpty else { return nil }
        let value = UInt32(String(String.UnicodeScalarView(digits)), radix: hex ? 16 : 10)
        let scalar = value.flatMap(Unicode.Scalar.init).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
        let terminated = rest.dropFirst(digits.count).first == ";"
        return (scalar, text.count - rest.count + digits.count + (terminated ? 1 : 0))
    }
}
