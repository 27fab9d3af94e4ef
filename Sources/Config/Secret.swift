/// A secret (a gateway signing key) that cannot be printed, logged or encoded by accident.
///
/// `description`, `debugDescription`, string interpolation, `dump` and `Mirror` all show
/// `<redacted>`; the type is deliberately not `Encodable`. The only way to the value is
/// `reveal()`, called where the key is used to sign.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The secret itself; call only where it is used, never to show or log it.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
