/// Why no HTTP response came back. The cases differ in the one thing a payment flow must know:
/// whether the server may have received, and acted on, the request.
///
/// Descriptions carry curl's reason (host and port at most), never request bodies or headers.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request never reached the server (no connection, unknown host, bad URL, TLS handshake
    /// failed, or cancelled before sending): safe to treat as not sent.
    case couldNotConnect(String)
    /// No answer in time. The request may have arrived and been acted on.
    case timedOut
    /// Anything else (connection dropped, answer too large or malformed, cancelled mid-way).
    /// The request may have arrived.
    case failed(String)

    /// False only when the server certainly did not receive the request.
    public var requestMayHaveArrived: Bool {
        switch self {
        case .couldNotConnect: false
        case .timedOut, .failed: true
        }
    }

    public var description: String {
        switch self {
        case .couldNotConnect(let reason): "Could not reach the server (\(reason)). Nothing was sent."
        case .timedOut: "The server did not answer in time. The request may have arrived."
        case .failed(let reason): "The exchange with the server failed (\(reason)). The request may have arrived."
        }
    }
}
