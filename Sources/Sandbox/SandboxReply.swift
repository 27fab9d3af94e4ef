/// What the sandbox does with one request.
public enum SandboxReply: Sendable, Equatable {
    /// Answer with this HTTP status, body and content type (a signed JSON object for every
    /// Wantu route; another gateway's simulator may answer a form, text or HTML).
    case answer(status: Int, body: [UInt8], contentType: String = "application/json; charset=utf-8")
    /// Never answer: the request was carried out, but the reply is lost on the way, as when
    /// Wantu's answer times out. The server holds the connection open until the client gives up
    /// or the server stops.
    case hang
}
