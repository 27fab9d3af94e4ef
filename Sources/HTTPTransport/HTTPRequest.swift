import Foundation

/// One HTTP request as a gateway builds it: everything the transport needs, nothing of the gateway.
///
/// The body may hold payment codes and signatures: nothing in this target logs it or puts it
/// in an error description.
///
/// A request changes money unless its maker says it is `.idempotent`: a request that was not
/// thought about is sent the careful way (at most once per `send`), never the fast way.
public struct HTTPRequest: Sendable {
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// The method, upper case: "POST" (the default), "GET", "PUT", "DELETE"…
    public var method: String
    /// Header fields in the order they are sent. Names are sent as given; duplicates are allowed.
    public var headers: [(name: String, value: String)]
    /// The bytes of the body, sent as is (an empty body is sent as `Content-Length: 0` for POST).
    public var body: [UInt8]
    /// The longest the whole exchange may take, connecting included, before `.timedOut`.
    public var timeout: Duration
    /// The longest connecting may take. Capped to `timeout`.
    public var connectTimeout: Duration
    /// What the request does at the server, and so whether it may ever reach it twice.
    public var effect: Effect

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5),
                effect: Effect = .changesMoney) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.effect = effect
    }

    /// Whether receiving a request twice could do twice what receiving it once does.
    public enum Effect: Sendable, Equatable {
        /// It pays, creates an order, refunds, cancels or closes: received twice, it could act
        /// twice, and the caller would see only one answer. The transport puts it on the wire
        /// at most once per `send`, so each attempt the ledger records is one request at the
        /// gateway. The default.
        case changesMoney
        /// Received twice it does no more than once (RFC 9110 §9.2.2): a query, an order
        /// list, a rate, a notification to a receiver that ignores repeats. The transport may
        /// send it on a kept-alive connection and send it again when that connection turns
        /// out to be dead.
        case idempotent
    }
}

extension HTTPRequest {
    /// True for an http(s) URL whose host is this machine: 127.0.0.0/8 written as four numbers
    /// ("127.0.0.1.example.com" is a name, not this machine), localhost, or ::1.
    public static func isLoopback(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        return octets.count == 4 && !octets.contains(nil) && octets[0] == 127
    }
}
