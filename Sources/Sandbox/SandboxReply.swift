/// What the sandbox does with one request.
public enum SandboxReply: Sendable, Equatable {
    /// Answer with this HTTP status and body (a signed JSON object for every Wantu route).
    case answer(status: Int, body: [UInt8])
    /// Never answer: the request was carried out, but the reply is lost on the way, as when
    /// Wantu's answer times out. The server holds the connection open until the client gives up
    /// or the server stops.
    case hang
}
