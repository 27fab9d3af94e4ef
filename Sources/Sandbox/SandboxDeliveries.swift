import CheckoutCore
import Foundation
import HTTPTransport
import Logging

/// The simulator's outgoing notifications: POSTs to a till's receiver, retried as a gateway
/// retries them — on anything but the gateway's success reply, a few seconds apart, a bounded
/// number of times. Gateway-neutral: each simulator supplies the body and the test of success.
///
/// Waits run on the sandbox's clock, so a test that steps it sees each retry at once.
public struct SandboxDeliveries: Sendable {
    let transport: any HTTPTransport
    let clock: CheckoutClock
    let logger: Logger
    /// Tries per notification, the first included.
    public var attempts: Int
    public var retryInterval: Duration
    /// The till's notify server, for a gateway whose callback URL is set in its back office
    /// rather than sent with each order (CloudPay): its simulator posts to
    /// `<notifyServer>/notify/<name>`. By default `shroff notify-server`'s own default address.
    public var notifyServer: String

    public init(transport: any HTTPTransport, clock: CheckoutClock, attempts: Int = 5, retryInterval: Duration = .seconds(3),
                notifyServer: String = "http://127.0.0.1:8787",
                logger: Logger = Logger(label: "shroff.sandbox.notify")) {
        self.notifyServer = notifyServer
        self.transport = transport
        self.clock = clock
        self.attempts = attempts
        self.retryInterval = retryInterval
        self.logger = logger
    }

    /// Posts `body` to `url` until `accepted` says the reply is the gateway's success reply.
    /// `headers` go with it (Paymax signs its webhooks in a `sign` header).
    /// Returns the number of tries, or nil when every one failed or `url` is not on this machine.
    @discardableResult
    public func deliver(_ body: [UInt8], contentType: String, headers: [(name: String, value: String)] = [], to url: String,
                        order: String, accepted: @Sendable (HTTPResponse) -> Bool) async -> Int? {
        // Only this machine: the simulator signs with a public key.
        guard HTTPRequest.isLoopback(url) else {
            logger.warning("sandbox notification not sent: notify_url is not on this machine", metadata: ["order": "\(order)"])
            return nil
        }
        // Idempotent: the receiver acknowledges a notification it has applied and changes nothing.
        let request = HTTPRequest(url: url, headers: [(name: "Content-Type", value: contentType)] + headers, body: body,
                                  timeout: .seconds(10), connectTimeout: .seconds(2), effect: .idempotent)
        for attempt in 1...max(1, attempts) {
            if attempt > 1 {
                guard (try? await clock.sleep(retryInterval)) != nil else { return nil }
            }
            do {
                let response = try await transport.send(request)
                if accepted(response) {
                    logger.info("sandbox notification delivered", metadata: ["order": "\(order)", "try": "\(attempt)"])
                    return attempt
                }
                logger.info("sandbox notification refused; will retry", metadata: ["order": "\(order)", "status": "\(response.status)"])
            } catch {
                logger.info("sandbox notification not delivered; will retry", metadata: ["order": "\(order)", "why": "\(error)"])
            }
        }
        logger.warning("sandbox notification given up", metadata: ["order": "\(order)", "tries": "\(attempts)"])
        return nil
    }
}
