import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to 127.0.0.1, for what a well-behaved HTTP client will not do: send a
/// body slowly, stop half way, or send more than it should. Every call blocks, so call it
/// through `onThread` and never on Swift's cooperative pool (the server's tasks run there).
final class RawConnection: Sendable {
    typealias Failure = LoopbackSocket.Failure

    /// How a read that waited for the server ended.
    enum End: Equatable, CustomStringConvertible {
        /// recv returned 0: the server closed the connection.
        case closed
        /// recv failed with this errno (ECONNRESET: the server closed it abruptly).
        case failed(Int32)
        /// The socket's receive timeout passed and the connection was still open.
        case timedOut

        var description: String {
            switch self {
            case .closed: "closed"
            case .failed(let code): "failed (errno \(code))"
            case .timedOut: "still open when the receive timeout passed"
            }
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`; each send and each receive gives up after `timeout`.
    init(port: Int, timeout: Duration = .seconds(10)) throws {
        let fd = try LoopbackSocket.connected(port: port, timeout: timeout)
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        self.fd = fd
    }

    func close() { systemClose(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let count = bytes[sent...].withUnsafeBytes { systemSend(fd, $0.baseAddress, $0.count, flags) }
            guard count > 0 else { throw Failure(description: "send failed after \(sent) of \(bytes.count) bytes (errno \(errno))") }
            sent += count
        }
    }

    /// One recv: the bytes, or how the wait ended.
    func receive(max: Int = 65_536) -> Result<[UInt8], EndError> {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .success(Array(buffer[..<count])) }
        if count == 0 { return .failure(EndError(end: .closed)) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { return .failure(EndError(end: .timedOut)) }
        return .failure(EndError(end: .failed(code)))
    }

    struct EndError: Error { let end: End }

    /// Reads until the server closes the connection or the receive timeout passes, and returns
    /// everything it sent on the way.
    func readUntilEnd() -> (bytes: [UInt8], end: End) {
        var bytes: [UInt8] = []
        while true {
            switch receive() {
            case .success(let chunk): bytes += chunk
            case .failure(let error): return (bytes, error.end)
            }
        }
    }

    /// True when the server has sent something (or closed) that has not been read yet.
    func hasPendingInput() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Reads one HTTP/1.1 response: the head, then a body of `Content-Length` bytes (or up to
    /// the close when there is no length).
    func readResponse() throws -> Response {
        var bytes: [UInt8] = []
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            switch receive() {
            case .success(let chunk): bytes += chunk
            case .failure(let error):
                throw Failure(description: "the connection \(error.end) before a whole response head (got \(bytes.count) bytes: \(String(decoding: bytes, as: UTF8.self).prefix(200)))")
            }
            if bytes.count >= 4 {
                headEnd = (0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == separator }
            }
        }
        let head = String(decoding: bytes[..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP response: \(statusLine)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(headEnd! + 4)...])
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            while body.count < length {
                switch receive() {
                case .success(let chunk): body += chunk
                case .failure(let error):
                    throw Failure(description: "the connection \(error.end) after \(body.count) of \(length) body bytes")
                }
            }
            body = Array(body.prefix(length))
        } else if headers["transfer-encoding"] == nil {
            body += readUntilEnd().bytes
        } else {
            throw Failure(description: "a chunked response: not expected from this server")
        }
        return Response(status: status, headers: headers, body: body)
    }
}

private func systemClose(_ fd: Int32) { _ = close(fd) }

private func systemSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(fd, bytes, count, flags)
}

/// Runs blocking work on a thread of its own, off Swift's cooperative pool, so a test blocked
/// on a socket can never starve the server it is waiting for (two cores, two pool threads).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread { continuation.resume(with: Result(catching: body)) }
        thread.start()
    }
}

/// The head of a POST to the receiver, as a raw client writes it.
func postHead(_ path: String, port: Int, contentLength: Int?, extra: [String] = []) -> String {
    var lines = ["POST \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Content-Type: application/json"]
    if let contentLength { lines.append("Content-Length: \(contentLength)") }
    lines += extra
    return lines.joined(separator: "\r\n") + "\r\n\r\n"
}
