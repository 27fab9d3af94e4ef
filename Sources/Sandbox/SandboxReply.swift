/// What the sandbox does with one request.
public enum SandboxReply: Sendable, Equatable {
    /// Answer with this HTTP status, body and content type (a signed JSON object for every
    /// Wantu route; another gateway's simulator may answer a form, text or HTML).
    /// `headers` carries what a gateway signs outside the body (Paymax: nonce, timestamp, sign).
    case answer(status: Int, body: [UInt8], contentType: String = "application/json; charset=utf-8",
                headers: [HeaderField] = [])
    /// Never answer: the request was carried out, but the reply is lost on the way, as when
    /// Wantu's answer times out. The server holds the connection open until the client gives up
    /// or the server stops.
    case hang
    /// Never answer, and close the connection at once: the request was carried out, then the
    /// connection died before a byte of the reply left, as when a kept-alive connection to the
    /// gateway breaks. A client that re-sends on such a connection shows here as a second request.
    case drop
}

/// One extra response header a simulator sends.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
