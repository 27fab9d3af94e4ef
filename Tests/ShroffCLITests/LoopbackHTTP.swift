import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain HTTP/1.1 over a socket to 127.0.0.1: enough to ask the sandbox whether it is up and to
/// play a customer paying a QR order, without a client library that could hide what was sent.
enum LoopbackHTTP {
    typealias Failure = LoopbackSocket.Failure

    /// A port nobody holds right now, below the ports the system hands out to connections
    /// (`LoopbackSocket.unusedPort`), for a server started in another process.
    static func freePort() throws -> Int {
        try LoopbackSocket.unusedPort()
    }

    /// Sends one request and returns the status code and body. Each socket operation gives up
    /// after a second: everything here is on this machine.
    static func request(_ method: String, port: Int, path: String) throws -> (status: Int, body: String) {
        let response = try exchange(method, port: port, path: path)
        return (response.status, response.body)
    }

    /// As `request`, with the response's header fields, names lower-cased.
    static func exchange(_ method: String, port: Int, path: String) throws -> (status: Int, headers: [String: String], body: String) {
        let fd = try LoopbackSocket.connected(port: port, timeout: .seconds(1))
        defer { close(fd) }

        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "sending to 127.0.0.1:\(port) failed (errno \(errno))") }
            sent += count
        }

        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "reading from 127.0.0.1:\(port) failed (errno \(errno))") }
            response += buffer[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw Failure(description: "not an HTTP response from 127.0.0.1:\(port): \(statusLine)")
        }
        let head = text.range(of: "\r\n\r\n").map { String(text[..<$0.lowerBound]) } ?? text
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, headers, body)
    }
}
