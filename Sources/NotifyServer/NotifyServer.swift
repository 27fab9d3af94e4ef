import CheckoutCore
import Hummingbird
import Ledger
import Logging
internal import NIOCore
internal import ServiceLifecycle
import Synchronization

/// The receiver's HTTP server (Hummingbird 2): what the shop gives each gateway as its
/// `notify_url`, usually behind a TLS reverse proxy.
///
/// Routes:
/// - `POST /notify/<gateway>` for each gateway in the receiver (taken from its list, not
///   hard-coded), answered with exactly the gateway's own reply body.
/// - `GET /healthz`: 200 with the gateways served and the ledger's identity (never its path),
///   as JSON: enough for a till to check this server writes to its ledger.
/// - `GET /paid`: a small "thank you" page for customers' browsers (Paymax's default `return_url`).
/// - `GET /pay/<token>`: a short pay link the till drew (`PayLink`): a 303 redirect to a URL
///   credential, or a page that posts a form credential, while its order is pending; for an
///   unknown, ended or expired token one short page (410) that says the payment is over and
///   nothing else, so whether a token ever existed cannot be told.
///
/// Bounds: a body over `maximumBody` is refused with 413 before it is read; a request whose
/// body has not fully arrived `readTimeout` after it started is cut off (and an idle
/// connection is closed after the same time); at most `maximumConcurrent` notifications and
/// pay links are handled at once, the rest get 503 (the gateway sends a notification again, a
/// browser is asked to reload). A request takes one of those places only once its whole body
/// has arrived, so clients that send a head and stall hold their own connections only, never
/// the places real notifications need.
public enum NotifyServer {
    public struct Limits: Sendable {
        public var maximumBody: Int
        public var readTimeout: Duration
        public var maximumConcurrent: Int

        public init(maximumBody: Int = 64 * 1024, readTimeout: Duration = .seconds(10), maximumConcurrent: Int = 32) {
            self.maximumBody = maximumBody
            self.readTimeout = readTimeout
            self.maximumConcurrent = maximumConcurrent
        }
    }

    /// Binds and starts serving in the background; returns once the port is bound. `port` 0
    /// picks a free one (see `RunningNotifyServer.port`). With `metrics`, `/metrics` is served
    /// on that address too, and only there.
    public static func start(_ receiver: NotificationReceiver, host: String, port: Int, limits: Limits = Limits(),
                             metrics: (host: String, port: Int)? = nil,
                             logger: Logger = Logger(label: "shroff.notify.http"),
                             stopOnSignals: Bool = false) async throws -> RunningNotifyServer {
        let (bound, reportBound) = AsyncStream.makeStream(of: Int.self)
        let (metricsBound, reportMetricsBound) = AsyncStream.makeStream(of: Int.self)
        let idle = TimeAmount.nanoseconds(Int64(limits.readTimeout.components.seconds) * 1_000_000_000
            + limits.readTimeout.components.attoseconds / 1_000_000_000)
        let health = try NotifyResponder.health(of: receiver)
        var services: [any Service] = [Application(
            responder: NotifyResponder(receiver: receiver, limits: limits, inFlight: InFlight(), health: health),
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "shroff-notify"),
            onServerRunning: { channel in
                reportBound.yield(channel.localAddress?.port ?? port)
                reportBound.finish()
            },
            logger: logger)]
        if let metrics {
            services.append(Application(
                responder: MetricsResponder(metrics: receiver.metrics),
                server: .http1(configuration: .init(idleTimeout: idle)),
                configuration: ApplicationConfiguration(address: .hostname(metrics.host, port: metrics.port), serverName: "shroff-notify"),
                onServerRunning: { channel in
                    reportMetricsBound.yield(channel.localAddress?.port ?? metrics.port)
                    reportMetricsBound.finish()
                },
                logger: logger))
        } else {
            reportMetricsBound.finish()
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [], logger: logger))
        let task = Task {
            defer {
                reportBound.finish()
                reportMetricsBound.finish()
            }
            try await group.run()
        }
        var boundPort: Int?
        for await port in bound { boundPort = port }
        var boundMetricsPort: Int?
        for await port in metricsBound { boundMetricsPort = port }
        // A port that cannot be bound ends the group with NIO's own error; the caller gets ours.
        guard let boundPort else {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw NotifyServerError.cannotListen(host: host, port: port)
        }
        if let metrics, boundMetricsPort == nil {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw NotifyServerError.cannotListenForMetrics(host: metrics.host, port: metrics.port)
        }
        return RunningNotifyServer(host: host, port: boundPort, metricsPort: boundMetricsPort, task: task, group: group)
    }
}

/// The metrics listener's only route.
struct MetricsResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let metrics: NotifyMetrics

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.uri.path == "/metrics" else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "only /metrics is served here\n")))
        }
        guard request.method == .get || request.method == .head else {
            return Response(status: .methodNotAllowed, headers: [.allow: "GET", .contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "use GET\n")))
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }
}

public enum NotifyServerError: Error, CustomStringConvertible {
    case cannotListen(host: String, port: Int)
    case cannotListenForMetrics(host: String, port: Int)

    public var description: String {
        switch self {
        case .cannotListen(let host, let port):
            "The notification receiver could not listen on \(host):\(port): the port is taken or the address is not this machine's. Choose another with --listen or [notify] listen."
        case .cannotListenForMetrics(let host, let port):
            "The notification receiver could not serve its metrics on \(host):\(port): the port is taken or the address is not this machine's. Choose another with [notify] metrics."
        }
    }
}

/// A receiver that is serving. `stop()` lets the requests in hand finish, then returns.
public final class RunningNotifyServer: Sendable {
    public let host: String
    public let port: Int
    /// The metrics listener's port, when one was asked for.
    public let metricsPort: Int?
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    init(host: String, port: Int, metricsPort: Int?, task: Task<Void, any Error>, group: ServiceGroup) {
        self.host = host
        self.port = port
        self.metricsPort = metricsPort
        self.task = task
        self.group = group
    }

    /// "http://127.0.0.1:8787/notify/<gateway>": the address a local gateway (the sandbox) posts to.
    public func url(for gateway: String) -> String { "http://\(host):\(port)/notify/\(gateway)" }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    /// Waits until the server stops (SIGTERM or SIGINT when started with `stopOnSignals`).
    public func served() async throws {
        do { try await task.value } catch is CancellationError { return }
    }
}

/// How many notifications are being handled now.
final class InFlight: Sendable {
    let count = Mutex(0)
}

/// Keeps the connection, so a request that reads too slowly can be cut off.
struct NotifyRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}

struct NotifyResponder: HTTPResponder {
    let receiver: NotificationReceiver
    let limits: NotifyServer.Limits
    let inFlight: InFlight
    /// The body of `/healthz`, fixed at start.
    let health: String

    func respond(to request: Request, context: NotifyRequestContext) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" {
            guard request.method == .get || request.method == .head else { return Self.plain(.methodNotAllowed, "use GET\n", allow: "GET") }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: health)))
        }
        if path == "/paid" {
            guard request.method == .get || request.method == .head else { return Self.plain(.methodNotAllowed, "use GET\n", allow: "GET") }
            return Self.paidPage
        }
        if path.hasPrefix(PayLink.pathPrefix) {
            guard request.method == .get || request.method == .head else { return Self.plain(.methodNotAllowed, "use GET\n", allow: "GET") }
            // A ledger read each: a flood of them waits its turn with the notifications.
            guard admit() else { return busy("busy; reload this page in a moment\n") }
            defer { release() }
            return await payLink(token: String(path.dropFirst(PayLink.pathPrefix.count)))
        }
        guard path.hasPrefix("/notify/") else { return Self.plain(.notFound, "no such route\n") }
        let provider = String(path.dropFirst("/notify/".count))
        guard receiver.gateways[provider] != nil else { return Self.plain(.notFound, "no gateway \(provider) is served here\n") }
        guard request.method == .post else { return Self.plain(.methodNotAllowed, "notifications are POSTed\n", allow: "POST") }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.maximumBody {
            return Self.plain(.contentTooLarge, "a notification is at most \(limits.maximumBody) bytes\n")
        }
        // The whole body before a place: a client that stalls mid-request waits out its own
        // read timeout without keeping a real notification out.
        let body: ByteBuffer
        switch await collect(request, context: context) {
        case .body(let bytes): body = bytes
        case .tooLarge: return Self.plain(.contentTooLarge, "a notification is at most \(limits.maximumBody) bytes\n")
        case .tooSlow:
            try? await context.channel.close()
            throw CancellationError()
        }
        guard admit() else { return busy("busy; send it again shortly\n") }
        defer { release() }
        var headers: [(name: String, value: String)] = []
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        let notification = IncomingNotification(method: request.method.rawValue, headers: headers,
                                                query: request.uri.query ?? "", body: Array(body.readableBytesView))
        // Verifying and one small SQLite transaction (and, rarely, one question to the gateway).
        let started = ContinuousClock.now
        guard let (reply, outcome) = await receiver.receive(notification, provider: provider) else {
            return Self.plain(.notFound, "no gateway \(provider) is served here\n")
        }
        receiver.metrics.handled(gateway: provider, outcome: outcome, in: ContinuousClock.now - started)
        return Response(status: HTTPResponse.Status(code: reply.status), headers: [.contentType: reply.contentType],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }

    enum Collected { case body(ByteBuffer), tooLarge, tooSlow }

    /// Takes one of the `maximumConcurrent` places; false when every one is taken. A place
    /// taken is given back with `release()`.
    private func admit() -> Bool {
        inFlight.count.withLock { count -> Bool in
            guard count < limits.maximumConcurrent else { return false }
            count += 1
            return true
        }
    }

    private func release() { inFlight.count.withLock { $0 -= 1 } }

    private func busy(_ text: String) -> Response {
        receiver.metrics.turnedAway()
        return Response(status: .serviceUnavailable, headers: [.retryAfter: "1", .contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The whole body, unless it is too large or has not arrived within `readTimeout`.
    private func collect(_ request: Request, context: NotifyRequestContext) async -> Collected {
        let limits = self.limits
        return await withTaskGroup(of: Collected?.self) { group in
            group.addTask {
                var request = request
                do {
                    return .body(try await request.collectBody(upTo: limits.maximumBody))
                } catch is NIOTooManyBytesError {
                    return .tooLarge
                } catch {
                    return .tooSlow  // the client went away mid-body: nothing to answer
                }
            }
            group.addTask {
                guard (try? await Task.sleep(for: limits.readTimeout)) != nil else { return nil }
                return .tooSlow
            }
            var result: Collected = .tooSlow
            for await value in group {
                if let value {
                    result = value
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }

    /// `{"status":"ok","gateways":[…],"ledger_id":"…"}`: alive, what it serves, and which
    /// ledger it writes to as its identity, never its path (which tells a stranger where the
    /// shop keeps its books). An in-memory ledger has no identity to give.
    static func health(of receiver: NotificationReceiver) throws -> String {
        let served = receiver.gateways.keys.sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let ledger = try receiver.ledger.identity().map { #","ledger_id":"\#($0)""# } ?? ""
        return #"{"status":"ok","gateways":[\#(served)]\#(ledger)}"#
    }

    /// Where a customer's browser lands after paying (Paymax's default `return_url`). It says
    /// nothing about any order: the till learns the result from the gateway, not from here.
    static var paidPage: Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Thank you</title></head><body style="font-family:sans-serif;text-align:center;margin-top:20vh">
            <h1>Thank you</h1><p>Your payment has been sent. The till shows when it arrives; you can close this page.</p>
            <p lang="zh">谢谢！付款已提交，收银台确认后即可离开。</p></body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The answer to a pay link: the credential while its order is pending and its time (by the
    /// receiver's clock) has not run out, else the page saying the payment is over. A token that
    /// cannot be one is not looked up.
    func payLink(token: String) async -> Response {
        let wellFormed = (22...64).contains(token.count) && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        let credential: String?
        do {
            let (ledger, now) = (receiver.ledger, receiver.wallClock())
            credential = wellFormed ? try await receiver.ledgerQueue.run { () throws(LedgerError) in try ledger.payLinkCredential(token: token, at: now) } : nil
        } catch {
            // The token is a key to a payment page: it stays out of the log.
            receiver.metrics.ledgerFailed()
            receiver.logger.error("pay link not answered: the ledger cannot be read", metadata: ["error": "\(error)"])
            return Self.plain(.serviceUnavailable, "the till's records cannot be read just now; try again in a moment\n")
        }
        guard let credential else { return Self.paymentOverPage }
        var headers: HTTPFields = [.cacheControl: "no-store"]
        guard PayLink.isForm(credential) else {
            // Only a web address: anything else in Location would run or open on the shop's address.
            guard PayLink.isWebAddress(credential) else { return Self.paymentOverPage }
            headers[.location] = credential
            return Response(status: .seeOther, headers: headers)
        }
        guard let form = PaymentForm(html: credential) else { return Self.paymentOverPage }
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; form-action http: https:"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: form.page)))
    }

    /// Where a pay link ends when its order is not open (or the token is unknown): the same
    /// page and status either way, naming no order.
    static var paymentOverPage: Response {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Payment over</title></head><body style="font-family:sans-serif;text-align:center;margin-top:20vh">
            <h1>This payment is over</h1><p>This link no longer takes a payment. Ask at the counter for a new code.</p>
            <p lang="zh">此付款已结束，请向收银员索取新的付款码。</p></body></html>
            """
        return Response(status: .gone, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String, allow: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if let allow { headers[.allow] = allow }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
