import Foundation
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain-sockets HTTP/1.1 server on 127.0.0.1 that does what a gateway behind a bad network
/// does and a well-behaved server never does: it reads a request whole, acts on it, and closes
/// the connection without a byte of answer.
///
/// The first request to each path in `dropping` is treated that way; any later one to the same
/// path is answered, as a gateway answers a duplicate. Everything else is answered 200 and the
/// connection kept alive. Connections are numbered from 1 in the order they were accepted, so a
/// test sees which requests shared one. Each connection is served on a thread of its own.
final class DroppingServer: Sendable {
    /// One request as the server read it.
    struct Arrival: Sendable, Equatable {
        /// The connection it came on: 1 for the first accepted.
        var connection: Int
        var method: String
        var path: String
        var body: [UInt8]
    }

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private let dropping: Set<String>
    private let state = Mutex(State())
    private let stopped = Atomic(false)

    private struct State {
        var arrivals: [Arrival] = []
        var connections = 0
    }

    /// Every request read so far, in arrival order.
    var arrivals: [Arrival] { state.withLock { $0.arrivals } }
    /// The requests read for `path`, in arrival order.
    func arrivals(at path: String) -> [Arrival] { arrivals.filter { $0.path == path } }
    /// How many connections were accepted.
    var connections: Int { state.withLock { $0.connections } }

    init(dropping: Set<String>) throws {
        let (fd, port) = try LoopbackSocket.bound()
        guard listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw LoopbackSocket.Failure(description: "listen failed (errno \(code))")
        }
        self.port = port
        self.dropping = dropping
        Thread { [self] in acceptConnections(on: fd) }.start()
    }

    /// Stops accepting and serving; every thread ends within `pollIntervalMilliseconds`.
    func stop() { stopped.store(true, ordering: .releasing) }

    /// How long a blocked accept or receive waits before looking at `stopped` again.
    private static let pollIntervalMilliseconds: Int32 = 50

    private var isStopped: Bool { stopped.load(ordering: .acquiring) }

    private func acceptConnections(on listener: Int32) {
        defer { close(listener) }
        while !isStopped {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Self.pollIntervalMilliseconds) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            let number = state.withLock { state -> Int in
                state.connections += 1
                return state.connections
            }
            Thread { [self] in serve(fd, connection: number) }.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        while let (method, path, body) = readRequest(fd, buffer: &buffer) {
            let drop = state.withLock { state -> Bool in
                let firstTime = !state.arrivals.contains { $0.path == path }
                state.arrivals.append(Arrival(connection: connection, method: method, path: path, body: body))
                return firstTime && dropping.contains(path)
            }
            // Acted on, never answered: the connection closes (FIN) with nothing written.
            if drop { return }
            let text = "\(method) \(path) answered on connection \(connection)"
            let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(text.utf8.count)\r\n\r\n" + text
            guard write(Array(response.utf8), to: fd) else { return }
        }
    }

    /// The next request on the connection: its method, path and body; nil when the client
    /// closed it, it broke, or the server stopped.
    private func readRequest(_ fd: Int32, buffer: inout [UInt8]) -> (String, String, [UInt8])? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if headEnd == nil, buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
            }
            if let end = headEnd {
                let head = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let requestLine = head[0].split(separator: " ")
                guard requestLine.count >= 2 else { return nil }
                let length = head.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                let total = end + 4 + length
                if buffer.count >= total {
                    let body = Array(buffer[(end + 4)..<total])
                    buffer.removeFirst(total)
                    return (String(requestLine[0]), String(requestLine[1]), body)
                }
            }
            guard receive(fd, into: &buffer) else { return nil }
        }
    }

    /// Appends what arrives; false when the connection ended or the server stopped.
    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        while !isStopped {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Self.pollIntervalMilliseconds) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
        return false
    }

    private func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}

/// Runs `body` against a fresh `DroppingServer` and stops it afterwards, whatever happens.
func withDroppingServer<T>(dropping: Set<String>, _ body: (DroppingServer) async throws -> T) async throws -> T {
    let server = try DroppingServer(dropping: dropping)
    defer { server.stop() }
    return try await body(server)
}
