/// One table of a configuration file, read with Shroff's rules: only known keys, values of the
/// expected type, and errors that name the file, the key's full path and its line.
///
/// Error messages quote the values of the keys they are asked to (currency, URLs), never others.
struct ConfigTable {
    let file: String
    /// Keys leading to this table from the root (`["providers", "wantu"]`); empty for the root.
    let path: [String]
    let table: TOMLTable
    /// Line of the table's header, nil for the root or for a table the file leaves out.
    let line: Int?

    /// "[providers.wantu]", or "the top level".
    var displayName: String { path.isEmpty ? "the top level" : "[\(path.joined(separator: "."))]" }

    func fullKey(_ key: String) -> String { (path + [key]).joined(separator: ".") }
    func contains(_ key: String) -> Bool { table[key] != nil }
    func line(of key: String) -> Int? { table.entry(key)?.position.line }

    // MARK: Errors

    /// An error about `key`, placed at its line (or the table's, or the file when neither is known).
    func error(_ kind: ConfigError.Kind, key: String, _ message: String) -> ConfigError {
        let line = line(of: key) ?? self.line
        return ConfigError(kind, file: file, key: fullKey(key), line: line,
                           line == nil ? "\(message) (in \(file))" : message)
    }

    func missing(_ key: String, example: String) -> ConfigError {
        let header = path.isEmpty ? "" : " under [\(path.joined(separator: "."))]"
        return error(.missingKey, key: key, "\(fullKey(key)) is required: add \(key) = \(example)\(header)")
    }

    func wrongType(_ key: String, expected: String) -> ConfigError {
        let found = table[key]?.typeName ?? "nothing"
        let article = ["a", "e", "i", "o", "u"].contains(found.first.map(String.init) ?? "") ? "an" : "a"
        return error(.wrongType, key: key, "\(fullKey(key)) must be \(expected), but the file gives \(article) \(found)")
    }

    // MARK: Known keys

    /// Refuses the first key (in file order) not in `known`, suggesting the nearest known key,
    /// or the table where Shroff expects a key of that name (`homes` maps key → "[table]"), or
    /// else `listing` (by default, the keys the table accepts).
    func rejectUnknownKeys(_ known: [String], homes: [String: String] = [:], what: String = "key",
                           listing: String? = nil) throws(ConfigError) {
        for entry in table.entries where !known.contains(entry.key) {
            let isTable = entry.value.tableValue != nil
            let name = isTable ? "[\(fullKey(entry.key))]" : fullKey(entry.key)
            var message = "unknown \(isTable && path.isEmpty ? "table" : what) \(name)"
            if let suggestion = KeySuggestion.nearest(to: entry.key, in: known) {
                message += isTable ? "; did you mean [\(fullKey(suggestion))]?" : "; did you mean \(suggestion)?"
            } else if let home = homes[entry.key], home != displayName {
                message += ": \(entry.key) belongs in \(home)"
            } else {
                message += ": " + (listing ?? "\(path.isEmpty ? "known tables are" : "\(displayName) accepts") "
                    + known.map { path.isEmpty ? "[\($0)]" : $0 }.joined(separator: ", "))
            }
            throw ConfigError(.unknownKey, file: file, key: fullKey(entry.key), line: entry.position.line, message)
        }
    }

    // MARK: Typed values

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.stringValue else { throw wrongType(key, expected: "a string (in quotes)") }
        return string
    }

    /// `true` or `false`; `fallback` when absent.
    func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = table[key] else { return fallback }
        guard let flag = value.booleanValue else { throw wrongType(key, expected: "true or false") }
        return flag
    }

    /// A string that must be present and not blank.
    func requiredString(_ key: String, example: String) throws(ConfigError) -> String {
        guard let value = try string(key) else { throw missing(key, example: example) }
        guard !value.allSatisfy(\.isWhitespace) else {
            throw error(.invalidValue, key: key, "\(fullKey(key)) is empty: write a value, e.g. \(key) = \(example)")
        }
        return value
    }

    /// A number of seconds (integer or float); `fallback` when absent.
    func seconds(_ key: String, default fallback: Duration) throws(ConfigError) -> Duration {
        guard let value = table[key] else { return fallback }
        let seconds: Double
        switch value {
        case .integer(let whole): seconds = Double(whole)
        case .float(let fraction): seconds = fraction
        default: throw wrongType(key, expected: "a number of seconds (an integer or float)")
        }
        guard seconds.isFinite, seconds > 0, seconds < 86_400 else {
            throw error(.invalidValue, key: key, "\(fullKey(key)) must be a number of seconds above 0 and below a day")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// A nested table; an empty one (with no line) when the file leaves it out.
    func subtable(_ key: String) throws(ConfigError) -> ConfigTable {
        guard let value = table[key] else {
            return ConfigTable(file: file, path: path + [key], table: TOMLTable(entries: []), line: nil)
        }
        guard let nested = value.tableValue else {
            throw wrongType(key, expected: "a table (a [\(fullKey(key))] section)")
        }
        return ConfigTable(file: file, path: path + [key], table: nested, line: line(of: key))
    }
}
