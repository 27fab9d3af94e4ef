import HTTPTransport
import Synchronization

/// A transport for gateway tests: each request is kept, in order, and answered by `reply`
/// (from a script, or the same answer every time). Nothing leaves the process.
public final class RecordingTransport: HTTPTransport {
    private let reply: @Sendable (HTTPRequest, Int) -> Result<HTTPResponse, TransportError>
    private let requests = Mutex<[HTTPRequest]>([])

    /// Answers the n-th request with `reply(request, n)` (n from 0).
    public init(reply: @escaping @Sendable (HTTPRequest, Int) -> Result<HTTPResponse, TransportError>) {
        self.reply = reply
    }

    /// Answers requests with `script` in order; once it runs out, with a connection failure.
    public convenience init(script: [Result<HTTPResponse, TransportError>]) {
        self.init { _, index in index < script.count ? script[index] : .failure(.couldNotConnect("the script has no more answers")) }
    }

    /// Every request sent so far, in order.
    public var sent: [HTTPRequest] { requests.withLock { $0 } }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let index = requests.withLock { sent -> Int in
            sent.append(request)
            return sent.count - 1
        }
        return try reply(request, index).get()
    }
}
