/// A syntax or structure error in a TOML document, with where it happened and what was expected.
///
/// Messages may name keys but never quote values or unparsed text, so a secret written on a
/// malformed line cannot leak through the error.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the document came from, as given to the parser.
    public let path: String
    public let position: TOMLPosition
    /// What went wrong, in words ("expected '=' after key").
    public let message: String

    public init(path: String, position: TOMLPosition, message: String) {
        self.path = path
        self.position = position
        self.message = message
    }

    /// "/etc/shroff.toml:7:12: expected '=' after key"
    public var description: String { "\(path):\(position.line):\(position.column): \(message)" }
}
