import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain TCP sockets on 127.0.0.1, for tests that speak to a server without a client library
/// (or hold a port no one answers on). Each call returns a file descriptor the caller closes.
public enum LoopbackSocket {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// A TCP socket connected to 127.0.0.1:`port`; each send and each receive on it gives up
    /// after `timeout`. Nothing is left open when it throws.
    public static func connected(port: Int, timeout: Duration) throws -> Int32 {
        let fd = try open()
        let seconds = timeout.components.seconds
        let micros = timeout.components.attoseconds / 1_000_000_000_000
        var limit = timeval(tv_sec: Int(seconds), tv_usec: .init(micros))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed (errno \(code))")
        }
        return fd
    }

    /// A port on 127.0.0.1 that nothing holds now, for a server a test starts in another
    /// process. It is taken below the system's ephemeral range (`ip_local_port_range`): a port
    /// that `bind` to port 0 hands out lies in that range, where any outgoing connection on a
    /// busy machine may take it before the server binds it.
    public static func unusedPort() throws -> Int {
        let floor = ephemeralFloor()
        let ports = min(20_000, floor / 2)..<floor
        for _ in 0..<500 {
            let port = Int.random(in: ports)
            let fd = try open()
            var address = loopback(port: port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if bound == 0 { return port }
        }
        throw Failure(description: "no port in \(ports) on 127.0.0.1 could be bound")
    }

    /// The lowest port the system hands out on its own (Linux's default is 32768).
    private static func ephemeralFloor() -> Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8),
           let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first, let floor = Int(first), floor > 2048 {
            return floor
        }
        #endif
        return 32768
    }

    /// A TCP socket bound (not listening) to a port on 127.0.0.1 that the system picks, and
    /// that port. Nothing is left open when it throws.
    public static func bound() throws -> (fd: Int32, port: Int) {
        let fd = try open()
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "bind to 127.0.0.1:0 failed (errno \(code))")
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "getsockname failed (errno \(code))")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func open() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed (errno \(errno))") }
        return fd
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
