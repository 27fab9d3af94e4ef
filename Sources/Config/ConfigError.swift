/// Why Shroff's configuration could not be loaded: which file, which key, what is wrong and
/// what to do about it.
///
/// The one error type of the configuration layer. Its text is meant for the person at the
/// till or the script that started it, and never contains a secret: values are quoted only
/// for keys that hold no secret, and syntax errors quote no text at all.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem, for callers that react differently (exit codes, help text).
    public enum Kind: Sendable, Equatable {
        /// A path given by `--config` or `$SHROFF_CONFIG` does not exist.
        case fileNotFound
        /// A file exists but cannot be read, or is not UTF-8 text.
        case unreadable
        /// The file is not valid TOML.
        case syntax
        /// A table or key Shroff does not know (often a typo).
        case unknownKey
        /// A required key is absent, or several keys that exclude each other are present.
        case missingKey
        /// A key holds a value of the wrong TOML type.
        case wrongType
        /// A value of the right type that is not acceptable (unknown currency, timeout too long…).
        case invalidValue
        /// A file holding a secret is readable by other users, or a key file others may change.
        case insecurePermissions
        /// The gateway key could not be obtained (environment variable unset, key file empty…).
        case secretUnavailable
        /// Neither the environment nor the arguments say where files belong (no `$HOME`).
        case noHomeDirectory
    }

    public let kind: Kind
    /// The configuration file concerned, when there is one.
    public let file: String?
    /// The full dotted path of the key concerned ("checkout.poll_interval_s"), when there is one.
    public let key: String?
    /// The line (and column, for syntax errors) in `file`.
    public let line: Int?
    public let column: Int?
    /// What is wrong and what to do, in one or two sentences.
    public let message: String

    init(_ kind: Kind, file: String? = nil, key: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.key = key
        self.line = line
        self.column = column
        self.message = message
    }

    /// "FILE:LINE[:COLUMN]: MESSAGE" when the problem has a place in a file; otherwise the
    /// message alone, which then names the file itself.
    public var description: String {
        guard let file, let line else { return message }
        let place = column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
        return "\(place): \(message)"
    }
}

extension ConfigError {
    init(_ error: TOMLError) {
        self.init(.syntax, file: error.path, line: error.position.line, column: error.position.column, error.message)
    }
}
