import Hummingbird
import Synchronization

// This file alone imports Hummingbird: its HTTPRequest/HTTPResponse would clash with
// HTTPTransport's in the test files, so the server speaks only standard types outward.

/// A request context that remembers the client's port, to tell reused connections from new ones.
struct PeerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peerPort: Int?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerPort = source.channel.remoteAddress?.port
    }
}

/// What the server saw, shared between its handlers and the test.
final class ServerRecord: Sendable {
    private let state = Mutex(State())
    private struct State {
        var peerPorts: [Int] = []
        var inFlight = 0
        var maxInFlight = 0
    }
    private let hangStartedStream: AsyncStream<Void>
    private let hangStartedContinuation: AsyncStream<Void>.Continuation

    init() {
        (hangStartedStream, hangStartedContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Client ports of the requests so far, in arrival order.
    var peerPorts: [Int] { state.withLock { $0.peerPorts } }
    /// The most requests the server was handling at one moment.
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    /// Returns once a request has reached the hanging handler.
    func waitForHangingRequest() async {
        var iterator = hangStartedStream.makeAsyncIterator()
        _ = await iterator.next()
    }

    fileprivate func arrived(from port: Int?) {
        state.withLock {
            $0.peerPorts.append(port ?? -1)
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
    }

    fileprivate func finished() { state.withLock { $0.inFlight -= 1 } }
    fileprivate func hangStarted() { hangStartedContinuation.yield() }
}

/// A real HTTP/1.1 server on 127.0.0.1 and a port the system picked, for the transport tests.
///
/// Routes: POST /echo (body back, selected request facts in headers), /fail (500),
/// /slow (echo after 20 ms), /hang (answers after a minute), /large (2 MiB).
final class TestServer: Sendable {
    let port: Int
    let record: ServerRecord
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, record: ServerRecord, task: Task<Void, any Error>) {
        self.port = port
        self.record = record
        self.task = task
    }

    struct StartFailed: Error {}

    static func start() async throws -> TestServer {
        let record = ServerRecord()
        let router = Router(context: PeerContext.self)
        router.on("echo", method: .post) { request, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            var request = request
            let body = try await request.collectBody(upTo: 4 << 20)
            var fields = HTTPFields()
            for field in request.headers where field.name.canonicalName.hasPrefix("x-shroff") {
                fields.append(.init(name: .init("x-seen-" + String(field.name.canonicalName.dropFirst(2)))!, value: field.value))
            }
            let contentType = request.headers.first(where: { $0.name.canonicalName == "content-type" })?.value
            fields.append(.init(name: .init("X-Seen-Content-Type")!, value: contentType ?? "none"))
            fields.append(.init(name: .init("X-Seen-Method")!, value: request.method.rawValue))
            fields.append(.init(name: .init("X-Multi")!, value: "a"))
            fields.append(.init(name: .init("X-Multi")!, value: "b"))
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: body))
        }
        router.get("echo") { request, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "method=\(request.method.rawValue)")))
        }
        router.on("fail", method: .post) { _, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "gateway exploded")))
        }
        router.on("slow", method: .post) { request, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            // Long enough that overlapping requests would be seen overlapping.
            try await Task.sleep(for: .milliseconds(20))
            return Response(status: .ok, body: .init(byteBuffer: body))
        }
        router.on("hang", method: .post) { _, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            record.hangStarted()
            // Stands for a gateway that never answers; cancelled when the server stops.
            try await Task.sleep(for: .seconds(60))
            return Response(status: .ok)
        }
        router.on("large", method: .post) { _, context in
            record.arrived(from: context.peerPort)
            defer { record.finished() }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 2 << 20)))
        }

        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? -1)
                portContinuation.finish()
            }
        )
        let task = Task {
            // If the server fails to start, the wait for a port below ends too.
            defer { portContinuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw StartFailed()
        }
        return TestServer(port: port, record: record, task: task)
    }

    /// Stops the server by cancelling it, which also cancels handlers still running.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Runs `body` against a fresh server and stops the server afterwards, whatever happens.
func withTestServer<T>(_ body: (TestServer) async throws -> T) async throws -> T {
    let server = try await TestServer.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
