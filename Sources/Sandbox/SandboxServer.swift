import Foundation
import HTTPTypes
import Hummingbird
import Logging
internal import NIOCore
internal import ServiceLifecycle

/// The sandbox host: serves gateway simulators over HTTP, each the way its gateway is reached
/// (Wantu: `POST /paygate/<endpoint>` with a JSON body). A method the simulator does not take
/// on its route gets 405, unknown paths 404.
///
/// Control routes for trainers and tests:
/// - `POST /sandbox/pay/<order>`: a customer pays that QR order, at whichever simulator has it
///   (200, or 404 when none can take the payment).
/// - `GET /sandbox/health`: 200 while serving.
public enum SandboxServer {
    /// Binds and starts serving `simulators` in the background; returns once the port is bound.
    /// `port` 0 picks a free port, reported by `RunningSandbox.port`.
    public static func start(_ simulators: [any SimulatedGateway], host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "shroff.sandbox.http")) async throws -> RunningSandbox {
        let hangs = HangingRequests()
        let (bound, reportBound) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: SandboxResponder(simulators: simulators, hangs: hangs),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                reportBound.yield(channel.localAddress?.port ?? port)
                reportBound.finish()
            },
            logger: logger)
        // Our own group, so stopping is a graceful shutdown: connections finish their answers
        // and close, rather than being cancelled mid-write.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        let task = Task {
            // Ends the wait below when the server fails to start (the port is taken).
            defer { reportBound.finish() }
            try await group.run()
        }
        for await boundPort in bound {
            return RunningSandbox(host: host, port: boundPort, task: task, group: group, hangs: hangs)
        }
        try await task.value
        throw SandboxServerError.stoppedBeforeStarting(host: host, port: port)
    }

    /// Serves one simulator.
    public static func start(_ simulator: any SimulatedGateway, host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "shroff.sandbox.http")) async throws -> RunningSandbox {
        try await start([simulator], host: host, port: port, logger: logger)
    }

    /// Serves until the calling task is cancelled (`shroff sandbox --port N`). `started` is
    /// called once the port is bound, to print the URL and the training credentials.
    public static func run(_ sandbox: [any SimulatedGateway], host: String = "127.0.0.1", port: Int,
                           logger: Logger = Logger(label: "shroff.sandbox.http"),
                           started: @Sendable (RunningSandbox) async -> Void = { _ in }) async throws {
        let running = try await start(sandbox, host: host, port: port, logger: logger)
        await started(running)
        try await withTaskCancellationHandler {
            try await running.served()
        } onCancel: {
            Task { await running.stop() }
        }
    }
}

/// Why the sandbox server could not serve.
public enum SandboxServerError: Error, CustomStringConvertible {
    case stoppedBeforeStarting(host: String, port: Int)

    public var description: String {
        switch self {
        case .stoppedBeforeStarting(let host, let port):
            "The sandbox could not listen on \(host):\(port). Choose another port, or 0 for any free one."
        }
    }
}

/// A sandbox server that is serving. `stop()` returns promptly even while a request hangs.
public final class RunningSandbox: Sendable {
    public let host: String
    /// The bound port (the one the system picked when 0 was asked for).
    public let port: Int
    private let task: Task<Void, any Error>
    private let group: ServiceGroup
    private let hangs: HangingRequests

    /// How long connections get to finish before the server is cancelled outright.
    public static let shutdownGrace: Duration = .seconds(2)

    init(host: String, port: Int, task: Task<Void, any Error>, group: ServiceGroup, hangs: HangingRequests) {
        self.host = host
        self.port = port
        self.task = task
        self.group = group
        self.hangs = hangs
    }

    /// What a gateway is configured with: "http://127.0.0.1:PORT/paygate".
    public var baseURL: String { "http://\(host):\(port)/paygate" }

    /// Releases hanging requests (their connections close without an answer), stops
    /// accepting, and returns once the server has shut down: true when it finished on its own
    /// within `grace`, false when it had to be cancelled then.
    @discardableResult
    public func stop(grace: Duration = RunningSandbox.shutdownGrace) async -> Bool {
        hangs.releaseAll()
        await group.triggerGracefulShutdown()
        let task = self.task
        return await withTaskGroup(of: Bool.self) { waiting in
            waiting.addTask { _ = await task.result; return true }
            waiting.addTask {
                // Cancelled here when the server finished in time.
                guard (try? await Task.sleep(for: grace)) != nil else { return true }
                task.cancel()
                return false
            }
            let graceful = await waiting.next() ?? true
            waiting.cancelAll()
            return graceful
        }
    }

    /// Waits until the server stops; rethrows a failure of the server itself.
    func served() async throws {
        do {
            try await task.value
        } catch is CancellationError {
            return
        }
    }
}

/// Requests held open without an answer, so that stopping can let them go.
final class HangingRequests: @unchecked Sendable {
    // Guarded by `lock`; a lock rather than an actor because task cancellation handlers are synchronous.
    private let lock = NSLock()
    private var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextID: UInt64 = 0
    private var released = false

    /// Returns when `releaseAll()` is called or the task is cancelled.
    func wait() async {
        let id = lock.withLock { () -> UInt64 in
            nextID += 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock { () -> Bool in
                    if released || Task.isCancelled { return true }
                    waiting[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            lock.withLock { waiting.removeValue(forKey: id) }?.resume()
        }
    }

    func releaseAll() {
        let all = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            released = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in all { continuation.resume() }
    }
}

/// A request context that keeps the connection, so a hanging request can close it unanswered.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}

/// Routes HTTP requests to the simulators; see `SandboxServer` for the routes.
struct SandboxResponder: HTTPResponder {
    let simulators: [any SimulatedGateway]
    let hangs: HangingRequests

    /// Far above any gateway request; a larger body is refused before it is read.
    static let maximumBody = 1 << 20

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        let path = request.uri.path
        for simulator in simulators where path.hasPrefix(simulator.pathPrefix) {
            let endpoint = String(path.dropFirst(simulator.pathPrefix.count))
            let methods = simulator.methods(for: endpoint)
            guard !methods.isEmpty else { continue }
            guard methods.contains(request.method.rawValue) else {
                return Self.methodNotAllowed(allow: methods.joined(separator: ", "))
            }
            var request = request
            let body = try await request.collectBody(upTo: Self.maximumBody)
            var headers: [(name: String, value: String)] = []
            for field in request.headers { headers.append((field.name.rawName, field.value)) }
            // HTTP types keep Host apart, as the authority; a simulator may build links on it.
            if let authority = request.head.authority { headers.append((name: "Host", value: authority)) }
            let simulated = SimulatedRequest(method: request.method.rawValue, endpoint: endpoint, headers: headers,
                                             query: request.uri.query ?? "", body: Array(body.readableBytesView))
            switch await simulator.handle(simulated) {
            case .answer(let status, let bytes, let contentType, let extra):
                var response = Self.reply(status: status, bytes, contentType: contentType)
                for field in extra {
                    if let name = HTTPField.Name(field.name) { response.headers[name] = field.value }
                }
                return response
            case .hang:
                await hangs.wait()
                // No answer at all, as when the gateway's reply is lost: close the connection.
                try? await context.channel.close()
                throw CancellationError()
            case .drop:
                try? await context.channel.close()
                throw CancellationError()
            }
        }
        if path.hasPrefix("/sandbox/pay/") {
            guard request.method == .post else { return Self.methodNotAllowed(allow: "POST") }
            let number = String(path.dropFirst("/sandbox/pay/".count))
            var paid = false
            for simulator in simulators where !paid {
                paid = await simulator.customerPays(number.removingPercentEncoding ?? number)
            }
            return Self.json(status: paid ? 200 : 404, Array((paid ? #"{"paid":true}"# : #"{"paid":false}"#).utf8))
        }
        if path == "/sandbox/health" {
            guard request.method == .get || request.method == .head else { return Self.methodNotAllowed(allow: "GET") }
            return Self.json(status: 200, Array(#"{"status":"ok"}"#.utf8))
        }
        return Response(status: .notFound)
    }

    static func reply(status: Int, _ bytes: [UInt8], contentType: String) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(status: Int, _ bytes: [UInt8]) -> Response {
        Response(status: HTTPResponse.Status(code: status),
                 headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func methodNotAllowed(allow: String) -> Response {
        Response(status: .methodNotAllowed, headers: [.allow: allow])
    }
}
