/// What the server answered, whatever the status: a 500 is a response, not a transport error.
public struct HTTPResponse: Sendable, Equatable {
    /// The HTTP status code (200, 500…).
    public var status: Int
    /// Header fields of the final response, names lower-cased. Repeated fields are joined with ", ".
    public var headers: [String: String]
    /// The body bytes, at most the transport's response size limit.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name`, matched without regard to case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
