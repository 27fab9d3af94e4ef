extension TOMLParser {
    /// A basic string `"…"` with escapes; the cursor is on the opening quote.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = position
        advance()
        var result = ""
        while true {
            guard let c = current, !atNewline else {
                throw error("unterminated string: expected a closing '\"' on the same line", at: start)
            }
            switch c {
            case "\"":
                advance()
                return result
            case "\\":
                result.unicodeScalars.append(try parseEscape())
            default:
                if isForbiddenControl(c) { throw error("control character \(c.hexCode) must be escaped in a string") }
                result.unicodeScalars.append(c)
                advance()
            }
        }
    }

    /// A multi-line basic string `"""…"""`; the cursor is on the first of the three quotes.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let start = position
        advance(); advance(); advance()
        // A new line right after the opening delimiter is not part of the string.
        if atNewline { consumeNewline() }
        var result = ""
        while true {
            guard let c = current else {
                throw error("unterminated multi-line string: expected a closing '\"\"\"'", at: start)
            }
            if c == "\"" {
                if let closing = try closeMultiline(quote: "\"") {
                    result += closing
                    return result
                }
                result.unicodeScalars.append(c)
                advance()
            } else if c == "\\" {
                if isLineEndingBackslash() {
                    // A line-ending backslash removes the new line and the blanks that follow it.
                    advance()
                    while let c = current, c == " " || c == "\t" || atNewline {
                        if atNewline { consumeNewline() } else { advance() }
                    }
                } else {
                    result.unicodeScalars.append(try parseEscape())
                }
            } else if atNewline {
                consumeNewline()
                result += "\n"
            } else {
                if isForbiddenControl(c) { throw error("control character \(c.hexCode) must be escaped in a string") }
                result.unicodeScalars.append(c)
                advance()
            }
        }
    }

    /// A literal string `'…'`: no escapes; the cursor is on the opening quote.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = position
        advance()
        var result = ""
        while true {
            guard let c = current, !atNewline else {
                throw error("unterminated string: expected a closing \"'\" on the same line", at: start)
            }
            if c == "'" {
                advance()
                return result
            }
            if isForbiddenControl(c) { throw error("control character \(c.hexCode) is not allowed in a literal string") }
            result.unicodeScalars.append(c)
            advance()
        }
    }

    /// A multi-line literal string `'''…'''`; the cursor is on the first of the three quotes.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let start = position
        advance(); advance(); advance()
        if atNewline { consumeNewline() }
        var result = ""
        while true {
            guard let c = current else {
                throw error("unterminated multi-line string: expected a closing \"'''\"", at: start)
            }
            if c == "'" {
                if let closing = try closeMultiline(quote: "'") {
                    result += closing
                    return result
                }
                result.unicodeScalars.append(c)
                advance()
            } else if atNewline {
                consumeNewline()
                result += "\n"
            } else {
                if isForbiddenControl(c) { throw error("control character \(c.hexCode) is not allowed in a literal string") }
                result.unicodeScalars.append(c)
                advance()
            }
        }
    }

    /// At a run of quotes inside a multi-line string: when the run closes the string, consumes it
    /// and returns the one or two quotes that belong to the content (`""""` ends with a quote);
    /// otherwise leaves the cursor alone and returns nil.
    private mutating func closeMultiline(quote: Unicode.Scalar) throws(TOMLError) -> String? {
        var run = 0
        while peek(run) == quote { run += 1 }
        guard run >= 3 else { return nil }
        if run > 5 { throw error("too many quotes in a row: at most two may precede the closing delimiter") }
        for _ in 0..<run { advance() }
        return String(repeating: String(quote), count: run - 3)
    }

    private func isLineEndingBackslash() -> Bool {
        var offset = 1
        while let c = peek(offset), c == " " || c == "\t" { offset += 1 }
        return peek(offset) == "\n" || (peek(offset) == "\r" && peek(offset + 1) == "\n")
    }

    /// An escape sequence; the cursor is on the backslash.
    private mutating func parseEscape() throws(TOMLError) -> Unicode.Scalar {
        let start = position
        advance()
        let valid = "valid escapes are \\\" \\\\ \\b \\t \\n \\f \\r \\uXXXX and \\UXXXXXXXX"
        guard let c = current else { throw error("unfinished escape sequence: \(valid)", at: start) }
        advance()
        switch c {
        case "\"": return "\""
        case "\\": return "\\"
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "u": return try parseUnicodeEscape(digits: 4, start: start)
        case "U": return try parseUnicodeEscape(digits: 8, start: start)
        default: throw error("invalid escape sequence in string: \(valid)", at: start)
        }
    }

    private mutating func parseUnicodeEscape(digits: Int, start: TOMLPosition) throws(TOMLError) -> Unicode.Scalar {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let c = current, let digit = hexDigitValue(c) else {
                throw error("invalid unicode escape: expected \(digits) hexadecimal digits after \\\(digits == 4 ? "u" : "U")", at: start)
            }
            value = value << 4 | digit
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("invalid unicode escape: not a Unicode scalar value (surrogate or beyond U+10FFFF)", at: start)
        }
        return scalar
    }

    private func hexDigitValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 0x30
        case "a"..."f": c.value - 0x61 + 10
        case "A"..."F": c.value - 0x41 + 10
        default: nil
        }
    }
}
