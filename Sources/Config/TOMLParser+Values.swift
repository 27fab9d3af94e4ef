extension TOMLParser {
    /// Any value; the cursor is on its first character.
    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        guard let c = current, !atNewline else { throw error("expected a value after '='") }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case "'":
            if peek(1) == "'" && peek(2) == "'" { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case "[":
            return try parseArray()
        case "{":
            return try parseInlineTable()
        case "0"..."9", "+", "-", "i", "n":
            return try parseNumber()
        case "t", "f":
            let start = position
            let word = readToken()
            switch word {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw error("expected a value: booleans are 'true' or 'false', and text needs quotes", at: start)
            }
        default:
            throw error("expected a value (a quoted string, number, boolean, array or inline table): text needs quotes")
        }
    }

    mutating func enterNesting() throws(TOMLError) {
        nesting += 1
        guard nesting <= TOMLParser.deepestNesting else {
            throw error("arrays and inline tables nest more than \(TOMLParser.deepestNesting) deep here: a configuration needs far fewer")
        }
    }

    /// The characters a number, boolean or date can be made of.
    mutating func readToken() -> String {
        var token = ""
        while let c = current {
            switch c {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "+", "-", ".", ":":
                token.unicodeScalars.append(c)
                advance()
            default:
                return token
            }
        }
        return token
    }

    /// `[ value, value, ]`, possibly over several lines with comments.
    mutating func parseArray() throws(TOMLError) -> TOMLValue {
        let start = position
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        var items: [TOMLValue] = []
        while true {
            try skipSpacesCommentsAndNewlines()
            if current == "]" {
                advance()
                return .array(items)
            }
            guard current != nil else { throw error("unterminated array: expected ']'", at: start) }
            items.append(try parseValue())
            try skipSpacesCommentsAndNewlines()
            switch current {
            case ","?:
                advance()
            case "]"?:
                advance()
                return .array(items)
            case nil:
                throw error("unterminated array: expected ']'", at: start)
            default:
                throw error("expected ',' or ']' after an array element")
            }
        }
    }

    /// `{ key = value, a.b = value }` on one line, with no trailing comma (TOML 1.0).
    mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        let start = position
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        let table = TOMLTableBuilder(origin: .inline)
        skipSpaces()
        if current == "}" {
            advance()
            return .table(table.freeze())
        }
        while true {
            skipSpaces()
            if current == nil || atNewline {
                throw error("unterminated inline table: expected '}' on the same line", at: start)
            }
            let key = try parseKey()
            skipSpaces()
            guard current == "=" else { throw error("expected '=' after key") }
            advance()
            skipSpaces()
            let value = try parseValue()
            try insert(value, at: key, into: table)
            skipSpaces()
            switch current {
            case ","?:
                advance()
                skipSpaces()
                if current == "}" { throw error("a trailing comma is not allowed in an inline table") }
            case "}"?:
                advance()
                return .table(table.freeze())
            default:
                if current == nil || atNewline {
                    throw error("unterminated inline table: expected '}' on the same line", at: start)
                }
                throw error("expected ',' or '}' after a value in an inline table")
            }
        }
    }
}
