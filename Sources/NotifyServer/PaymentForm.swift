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
    /// (a `javascript:` action would run on the shop's own address).
    init?(html: String) {
        guard let formTag = Self.tags(named: "form", in: html).first,
              let action = formTag["action"], let scheme = URL(string: action)?.scheme?.lowercased(),
              scheme == "https" || scheme == "http" else { return nil }
        self.action = action
        method = formTag["method"]?.lowercased() == "get" ? "get" : "post"
        fields = Self.tags(named: "input", in: html).compactMap { input in
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

    /// The attributes of each `<name …>` tag in `html`, names lower-cased, values with the
    /// common character references read.
    static func tags(named name: String, in html: String) -> [[String: String]] {
        let pattern = "<\(name)\\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
        guard let tag = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
              let attribute = try? NSRegularExpression(pattern: #"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#) else {
            return []
        }
        let whole = NSRange(html.startIndex..., in: html)
        return tag.matches(in: html, range: whole).compactMap { match -> [String: String]? in
            guard let inner = Range(match.range(at: 1), in: html) else { return nil }
            let text = String(html[inner])
            var attributes: [String: String] = [:]
            for found in attribute.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let key = Range(found.range(at: 1), in: text) else { continue }
                let value = (2...4).lazy.compactMap { Range(found.range(at: $0), in: text) }.first.map { String(text[$0]) } ?? ""
                attributes[text[key].lowercased()] = unescape(value)
            }
            return attributes
        }
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
