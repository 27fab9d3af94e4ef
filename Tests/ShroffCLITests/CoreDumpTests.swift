import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

/// A process that holds the shop's keys must not leave them on disk when it crashes.
@Suite("Processes holding keys leave no core dump", .timeLimit(.minutes(1)))
struct CoreDumpTests {
    static let key = "wk_live_7Qm2vX9pL4sT8nR1zY6c"

    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// `shroff notify-server` started as a service manager that allows core dumps would start
    /// it (`ulimit -c unlimited`), in a folder of its own, then killed by SIGSEGV. Swift's own
    /// crash reporter is turned off for it: it would catch a SIGSEGV sent from outside, print
    /// its report and carry on, and the test is about what the kernel writes.
    @Test("notify-server turns core dumps off at start: its core limit is 0 and a crash writes no core file")
    func notifyServerCrashLeavesNoCore() async throws {
        let port = try LoopbackHTTP.freePort()
        let config = try till.write("store/config.toml", TillHome.gatewayConfig(port: 1, key: Self.key))
        let folder = till.root + "/crash"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stderrPath = till.root + "/runs/crash.err"
        try Data().write(to: URL(fileURLWithPath: stderrPath))
        let stderrFile = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        defer { try? stderrFile.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"ulimit -c unlimited && exec "$0" "$@""#, try ShroffBinary.url().path,
                             "notify-server", "--listen", "127.0.0.1:\(port)", "--config", config]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = till.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderrFile
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let deadline = ContinuousClock.now + .seconds(30)
        func said() -> String { String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self) }
        while !said().contains("Receiving notifications"), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(said().contains("Receiving notifications"), "notify-server did not start:\n\(said())")

        let limits = try String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
                "the key-holding process may still write a core file: \(core)")

        kill(process.processIdentifier, SIGSEGV)
        let ended = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < ended { try await Task.sleep(for: .milliseconds(20)) }
        try #require(!process.isRunning, "notify-server was still running 20 s after SIGSEGV")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGSEGV)
        // A core_pattern that pipes to a program (systemd-coredump, apport) leaves nothing here
        // either way; a plain pattern writes the file into the process's folder.
        let pattern = (try? String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)) ?? ""
        if !pattern.hasPrefix("|") {
            let cores = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(cores.isEmpty, "a crash left \(cores) in \(folder) (core_pattern \(pattern))")
        }
        #expect(!said().contains(Self.key))
    }
}
