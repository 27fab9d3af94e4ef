/// One HTTP request as a gateway builds it: everything the transport needs, nothing of the gateway.
///
/// The body may hold payment codes and signatures: nothing in this target logs it or puts it
/// in an error description.
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

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5)) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}
