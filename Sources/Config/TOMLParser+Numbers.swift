extension TOMLParser {
    /// An integer or float, or a clear refusal of a date or time; the cursor is on its first character.
    mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let start = position
        let token = readToken()
        if TOMLParser.looksLikeDateOrTime(token) {
            throw error("dates and times are not supported in this configuration", at: start)
        }
        switch TOMLParser.number(from: token) {
        case .value(let number): return number
        case .outOfRange: throw error("integer out of range: it must fit in 64 bits", at: start)
        case .invalid: throw error(TOMLParser.numberProblem(token), at: start)
        }
    }

    static func looksLikeDateOrTime(_ token: String) -> Bool {
        let scalars = Array(token.unicodeScalars)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= scalars.count && range.allSatisfy { "0"..."9" ~= scalars[$0] }
        }
        let isDate = digits(0..<4) && scalars.count > 4 && scalars[4] == "-"
        let isTime = digits(0..<2) && scalars.count > 2 && scalars[2] == ":"
        return isDate || isTime
    }

    enum NumberReading: Equatable {
        case value(TOMLValue)
        /// An integer that does not fit in 64 bits.
        case outOfRange
        /// Not a TOML number.
        case invalid
    }

    static func number(from token: String) -> NumberReading {
        var body = Substring(token)
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            sign = String(first)
            body = body.dropFirst()
        }
        if body == "inf" { return .value(.float(sign == "-" ? -.infinity : .infinity)) }
        if body == "nan" { return .value(.float(.nan)) }

        for (prefix, radix, allowed) in [("0x", 16, "0123456789abcdefABCDEF"), ("0o", 8, "01234567"), ("0b", 2, "01")] {
            guard body.hasPrefix(prefix) else { continue }
            let digits = body.dropFirst(2)
            guard sign.isEmpty, hasValidUnderscores(digits, allowed: allowed) else { return .invalid }
            guard let value = Int64(digits.filter { $0 != "_" }, radix: radix) else { return .outOfRange }
            return .value(.integer(value))
        }

        let decimal = "0123456789"
        if body.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            // float = int-part [ "." digits ] [ ("e" | "E") [sign] digits ]
            let exponentSplit = body.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
                .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
            guard exponentSplit.count <= 2 else { return .invalid }
            let mantissa = exponentSplit[0]
            let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard hasValidUnderscores(parts[0], allowed: decimal), !hasLeadingZero(parts[0]) else { return .invalid }
            if parts.count == 2, !hasValidUnderscores(parts[1], allowed: decimal) { return .invalid }
            if exponentSplit.count == 2 {
                var exponent = exponentSplit[1]
                if let first = exponent.first, first == "+" || first == "-" { exponent = exponent.dropFirst() }
                guard hasValidUnderscores(exponent, allowed: decimal) else { return .invalid }
            }
            guard let value = Double(sign + body.filter { $0 != "_" }) else { return .invalid }
            return .value(.float(value))
        }

        guard hasValidUnderscores(body, allowed: decimal), !hasLeadingZero(body) else { return .invalid }
        guard let value = Int64(sign + body.filter { $0 != "_" }) else { return .outOfRange }
        return .value(.integer(value))
    }

    /// Digits from `allowed`, with each `_` between two digits.
    private static func hasValidUnderscores(_ text: Substring, allowed: String) -> Bool {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else { return false }
        var previousWasUnderscore = false
        for c in text {
            if c == "_" {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
            } else {
                guard allowed.contains(c) else { return false }
                previousWasUnderscore = false
            }
        }
        return true
    }

    private static func hasLeadingZero(_ digits: Substring) -> Bool {
        digits.count > 1 && digits.first == "0"
    }

    /// Says what is wrong with a token that is not a number, without quoting it.
    static func numberProblem(_ token: String) -> String {
        let body = token.drop { $0 == "+" || $0 == "-" }
        if body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            if body.count != token.count { return "invalid number: hexadecimal, octal and binary integers cannot have a sign" }
            return "invalid number: bad digit or '_' in a hexadecimal, octal or binary integer"
        }
        if body.contains("__") || body.hasPrefix("_") || body.hasSuffix("_") || body.contains("_.") || body.contains("._") {
            return "invalid number: each '_' must sit between two digits"
        }
        if body.count > 1, body.first == "0", body.dropFirst().first?.isNumber == true {
            return "invalid number: leading zeros are not allowed"
        }
        if body.hasSuffix(".") || body.hasPrefix(".") || body.contains(".e") || body.contains(".E") {
            return "invalid number: a decimal point needs digits on both sides"
        }
        if body.allSatisfy({ $0.isLetter }) {
            return "expected a value (a quoted string, number, boolean, array or inline table): text needs quotes"
        }
        return "invalid number"
    }
}
