import Dispatch
import Synchronization

/// The production `HTTPTransport`: libcurl, one easy handle reused for every request so the
/// connection to a gateway stays open between idempotent calls (the till's polls).
///
/// A `.changesMoney` request goes out on a connection opened for it and closed after it: libcurl
/// re-sends a request by itself only on a reused connection, so such a request leaves once per
/// `send`. That costs it a connection set-up (a TLS handshake to a real gateway).
///
/// Requests run one at a time on a private serial queue, off Swift's cooperative pool (curl
/// blocks its thread); concurrent `send` calls wait their turn. Cancelling the calling task
/// aborts its transfer. Answers larger than `maxResponseBytes` fail with `.failed`.
public final class CurlTransport: HTTPTransport {
    /// The largest response body accepted, in bytes.
    public let maxResponseBytes: Int
    private let queue = DispatchQueue(label: "shroff.http-transport.curl")
    /// Touched only on `queue`; the mutex makes that ownership checkable by the compiler.
    private let handle: Mutex<CurlEasyHandle>

    /// Creates the curl handle. Throws `.couldNotConnect` when libcurl cannot start.
    public init(maxResponseBytes: Int = 1 << 20) throws(TransportError) {
        self.maxResponseBytes = maxResponseBytes
        handle = Mutex(try CurlEasyHandle())
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let cancel = CancelFlag()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) in
                queue.async { [self] in
                    let result = handle.withLock { $0.perform(request, maxResponseBytes: maxResponseBytes, cancel: cancel) }
                    continuation.resume(returning: result)
                }
            }
        } onCancel: {
            cancel.set()
        }
        return try result.get()
    }
}
