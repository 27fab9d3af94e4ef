/// Sends one HTTP request and returns the server's answer. Gateways depend on this protocol
/// only, so tests can put a scripted transport in place of the network.
///
/// What every implementation promises:
/// - Any status the server sends, 500 included, comes back as an `HTTPResponse`.
/// - A thrown `TransportError` says truthfully whether the request may have arrived
///   (`requestMayHaveArrived`); when in doubt, it says it may have.
/// - A request whose `effect` is `.changesMoney` leaves at most once per `send`: the
///   implementation never sends it again by itself, whatever happens to the connection. When
///   the exchange fails after it left, the error says it may have arrived, and the caller
///   decides (by asking the gateway) what became of it. Only an `.idempotent` request may be
///   sent twice for one `send`.
/// - It never logs request bodies or headers, and its errors never contain them.
/// - It is safe to call from many tasks at once.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
