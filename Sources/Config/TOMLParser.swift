/// Reads TOML 1.0 documents into `TOMLTable`s.
///
/// Supports comments, `[table]`, `[a.b]` and `[[array]]` headers, bare, quoted and dotted keys,
/// basic and literal strings (single- and multi-line), integers (decimal, hex, octal, binary,
/// `_` separators), floats (`inf`, `nan`), booleans, arrays and inline tables. Duplicate keys and
/// redefined tables are errors. Dates and times are refused: Shroff's configuration has none.
/// Every error carries the file path, line and column.
public struct TOMLParser {
    /// Parses `text`; `path` only labels errors.
    public static func parse(_ text: String, path: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(text: text, path: path)
        return try parser.parseDocument()
    }

    let path: String
    let text: [Unicode.Scalar]
    var index = 0
    var line = 1
    var lineStart = 0
    /// Arrays and inline tables open around the cursor: bounded, so a hostile file cannot
    /// exhaust the stack.
    var nesting = 0
    static let deepestNesting = 64

    init(text: String, path: String) {
        var scalars = Array(text.unicodeScalars)
        // Some editors start UTF-8 files with a byte order mark; it is not part of the document.
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.text = scalars
        self.path = path
    }

    struct KeyPart {
        let name: String
        let position: TOMLPosition
    }

    // MARK: Cursor

    var position: TOMLPosition { TOMLPosition(line: line, column: index - lineStart + 1) }
    var current: Unicode.Scalar? { index < text.count ? text[index] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < text.count ? text[index + offset] : nil
    }

    mutating func advance() {
        if text[index] == "\n" {
            line += 1
            lineStart = index + 1
        }
        index += 1
    }

    func error(_ message: String, at position: TOMLPosition? = nil) -> TOMLError {
        TOMLError(path: path, position: position ?? self.position, message: message)
    }

    mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { advance() }
    }

    /// True at "\n" or "\r\n".
    var atNewline: Bool { current == "\n" || (current == "\r" && peek(1) == "\n") }

    mutating func consumeNewline() {
        if current == "\r" { advance() }
        advance()
    }

    /// Skips a comment up to (not including) the end of its line.
    mutating func skipComment() throws(TOMLError) {
        advance()
        while let c = current, !atNewline {
            if isForbiddenControl(c) { throw error("control character \(c.hexCode) is not allowed in a comment") }
            advance()
        }
    }

    /// Spaces, comments and new lines, as allowed inside arrays.
    mutating func skipSpacesCommentsAndNewlines() throws(TOMLError) {
        while true {
            skipSpaces()
            if current == "#" {
                try skipComment()
            } else if atNewline {
                consumeNewline()
            } else {
                return
            }
        }
    }

    /// After a header or key/value pair only spaces and a comment may follow on the line.
    mutating func expectEndOfLine(after what: String) throws(TOMLError) {
        skipSpaces()
        if current == "#" { try skipComment() }
        guard current != nil else { return }
        guard atNewline else { throw error("expected the end of the line after \(what)") }
        consumeNewline()
    }

    func isForbiddenControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        let root = TOMLTableBuilder(origin: .header)
        var section = root
        while true {
            skipSpaces()
            guard let c = current else { break }
            if c == "#" {
                try skipComment()
            } else if atNewline {
                consumeNewline()
            } else if c == "[" {
                section = try parseHeader(root: root)
                try expectEndOfLine(after: "the table header")
            } else {
                try parseKeyValue(into: section)
                try expectEndOfLine(after: "the value")
            }
        }
        return root.freeze()
    }

    // MARK: Keys

    func isBareKeyCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    /// A simple or dotted key: `name`, `"quoted key"`, `'literal'`, `a.b."c"`.
    mutating func parseKey() throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipSpaces()
            let start = position
            switch current {
            case "\"":
                if peek(1) == "\"" && peek(2) == "\"" { throw error("a key cannot be a multi-line string") }
                parts.append(KeyPart(name: try parseBasicString(), position: start))
            case "'":
                if peek(1) == "'" && peek(2) == "'" { throw error("a key cannot be a multi-line string") }
                parts.append(KeyPart(name: try parseLiteralString(), position: start))
            case let c? where isBareKeyCharacter(c):
                var name = ""
                while let c = current, isBareKeyCharacter(c) {
                    name.unicodeScalars.append(c)
                    advance()
                }
                parts.append(KeyPart(name: name, position: start))
            case "="?:
                throw error("expected a key before '='")
            case nil:
                throw error("expected a key, found the end of the file")
            case "\u{FEFF}"?:
                throw error("a byte-order mark (U+FEFF) is allowed only once, at the very start of the file: save it again as plain UTF-8")
            default:
                throw error(parts.isEmpty
                    ? "expected a key (letters, digits, '_' and '-', or a quoted key)"
                    : "expected a key after '.'")
            }
            skipSpaces()
            guard current == "." else { return parts }
            advance()
        }
    }

    static func dotted(_ parts: some Collection<KeyPart>) -> String {
        parts.map { part in
            part.name.unicodeScalars.allSatisfy { "A"..."Z" ~= $0 || "a"..."z" ~= $0 || "0"..."9" ~= $0 || $0 == "_" || $0 == "-" }
                && !part.name.isEmpty ? part.name : "\"\(part.name)\""
        }.joined(separator: ".")
    }

    // MARK: Key/value pairs

    mutating func parseKeyValue(into table: TOMLTableBuilder) throws(TOMLError) {
        let key = try parseKey()
        skipSpaces()
        guard current == "=" else {
            throw error(current == nil || atNewline
                ? "expected '=' after key, found the end of the line"
                : "expected '=' after key")
        }
        advance()
        skipSpaces()
        let value = try parseValue()
        try insert(value, at: key, into: table)
    }

    /// Stores a value under a (possibly dotted) key, creating the intermediate tables.
    mutating func insert(_ value: TOMLValue, at key: [KeyPart], into section: TOMLTableBuilder) throws(TOMLError) {
        var table = section
        for (offset, part) in key.dropLast().enumerated() {
            // Built only for a message: building it for every part made long dotted keys cost n².
            var name: String { TOMLParser.dotted(key.prefix(offset + 1)) }
            if let existing = table.slot(part.name) {
                switch existing.slot {
                case .table(let next) where next.origin == .dotted:
                    table = next
                case .table:
                    throw error("cannot add to table '\(name)' with a dotted key: it was created by a table header (line \(existing.position.line))", at: part.position)
                case .value(.table):
                    throw error("cannot add to '\(name)': it is an inline table (line \(existing.position.line)), which is complete once written", at: part.position)
                case .value, .tableArray:
                    throw error("cannot use '\(name)' as a table: it already holds a value (line \(existing.position.line))", at: part.position)
                }
            } else {
                let next = TOMLTableBuilder(origin: .dotted)
                table.set(part.name, .table(next), at: part.position)
                table = next
            }
        }
        let last = key[key.count - 1]
        if let existing = table.slot(last.name) {
            throw error("duplicate key '\(TOMLParser.dotted(key))' (first defined on line \(existing.position.line))", at: last.position)
        }
        table.set(last.name, .value(value), at: last.position)
    }

    // MARK: Headers

    /// Reads `[a.b]` or `[[a.b]]` and returns the table that following key/value pairs go into.
    mutating func parseHeader(root: TOMLTableBuilder) throws(TOMLError) -> TOMLTableBuilder {
        let headerStart = position
        advance()
        let isArray = current == "["
        if isArray { advance() }
        let key = try parseKey()
        skipSpaces()
        guard current == "]" else {
            throw error(isArray ? "expected ']]' to close the array-of-tables header" : "expected ']' to close the table header")
        }
        advance()
        if isArray {
            guard current == "]" else { throw error("expected ']]' to close the array-of-tables header") }
            advance()
        }

        var table = root
        for (offset, part) in key.dropLast().enumerated() {
            var name: String { TOMLParser.dotted(key.prefix(offset + 1)) }
            if let existing = table.slot(part.name) {
                switch existing.slot {
                case .table(let next):
                    table = next
                case .tableArray(let elements):
                    table = elements.last
                case .value(.table):
                    throw error("cannot add to '\(name)': it is an inline table (line \(existing.position.line)), which is complete once written", at: part.position)
                case .value:
                    throw error("cannot use '\(name)' as a table: it already holds a value (line \(existing.position.line))", at: part.position)
                }
            } else {
                let next = TOMLTableBuilder(origin: .implicit)
                table.set(part.name, .table(next), at: part.position)
                table = next
            }
        }

        let last = key[key.count - 1]
        let name = TOMLParser.dotted(key)
        let defined = TOMLTableBuilder(origin: .header)
        guard let existing = table.slot(last.name) else {
            table.set(last.name, isArray ? .tableArray(.init(defined)) : .table(defined), at: last.position)
            return defined
        }
        switch (existing.slot, isArray) {
        case (.tableArray(let elements), true):
            elements.append(defined)
            return defined
        case (.table(let earlier), false) where earlier.origin == .implicit:
            earlier.origin = .header
            return earlier
        case (.table, false):
            throw error("table [\(name)] is defined twice (first on line \(existing.position.line))", at: headerStart)
        case (.tableArray, false):
            throw error("[\(name)] is an array of tables (line \(existing.position.line)): write [[\(name)]] to add an element", at: headerStart)
        case (.table, true):
            throw error("cannot write [[\(name)]]: '\(name)' is already a table (line \(existing.position.line))", at: headerStart)
        case (.value, _):
            throw error("cannot define [\(name)]: '\(name)' already holds a value (line \(existing.position.line))", at: headerStart)
        }
    }
}

extension Unicode.Scalar {
    /// "U+0007", for messages about characters that cannot be shown.
    var hexCode: String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
