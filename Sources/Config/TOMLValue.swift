/// A place in a TOML document: 1-based line and column (columns count Unicode scalars).
public struct TOMLPosition: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A value read from a TOML document.
///
/// Dates and times are not represented: Shroff's configuration has none, and the reader
/// refuses them with a clear error rather than guessing.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML name of the value's type, as used in error messages ("string", "integer"…).
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    public var floatValue: Double? {
        if case .float(let value) = self { value } else { nil }
    }

    public var booleanValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    public var arrayValue: [TOMLValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var tableValue: TOMLTable? {
        if case .table(let value) = self { value } else { nil }
    }
}

/// A TOML table: keys in document order, each with its value and where the key was written.
///
/// Equality compares keys and values only, not order or positions.
public struct TOMLTable: Sendable, Equatable {
    /// One key of a table, its value, and the position of the key in the file
    /// (for a table defined by a header, the position of the header's last key).
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: TOMLValue
        public let position: TOMLPosition

        public init(key: String, value: TOMLValue, position: TOMLPosition) {
            self.key = key
            self.value = value
            self.position = position
        }
    }

    /// The entries in the order they first appeared in the document.
    public let entries: [Entry]
    private let indexByKey: [String: Int]

    public init(entries: [Entry]) {
        self.entries = entries
        var index: [String: Int] = [:]
        for (offset, entry) in entries.enumerated() { index[entry.key] = offset }
        indexByKey = index
    }

    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> TOMLValue? { entry(key)?.value }

    public func entry(_ key: String) -> Entry? {
        indexByKey[key].map { entries[$0] }
    }

    /// Follows a path of keys through nested tables: `table[path: ["providers", "wantu", "key"]]`.
    public subscript(path path: [String]) -> TOMLValue? {
        guard let first = path.first, let value = self[first] else { return nil }
        if path.count == 1 { return value }
        return value.tableValue?[path: Array(path.dropFirst())]
    }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}
