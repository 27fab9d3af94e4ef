import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` with a loopback port that refuses connections: a socket is bound to it (so no one
/// else can take it) but never listens, and the kernel answers every connection with a reset.
func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let (fd, port) = try LoopbackSocket.bound()
    defer { close(fd) }
    return try await body(port)
}
