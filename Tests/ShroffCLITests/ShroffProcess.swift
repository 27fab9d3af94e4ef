import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `shroff` child process. Its standard output and error go to two files in the test's
/// directory, so they stay apart, can be read while it runs, and can never fill a pipe and
/// stall it; its standard input is empty, or `input` read from a third file. A process still
/// running when this is released is killed: no test leaves one behind.
final class ShroffProcess: @unchecked Sendable {
    // @unchecked: `Process` is only touched through its thread-safe members (`isRunning`,
    // `processIdentifier`, `terminationStatus` once it has ended); everything else is immutable.
    let arguments: [String]
    private let process: Process
    private let stdoutPath: String
    private let stderrPath: String
    private let startedAt = ContinuousClock.now

    init(_ arguments: [String], environment: [String: String], outputPrefix: String, input: String? = nil) throws {
        self.arguments = arguments
        stdoutPath = outputPrefix + ".out"
        stderrPath = outputPrefix + ".err"
        try Data().write(to: URL(fileURLWithPath: stdoutPath))
        try Data().write(to: URL(fileURLWithPath: stderrPath))
        let stdoutFile = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let stderrFile = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        let stdinFile = try input.map { text in
            try Data(text.utf8).write(to: URL(fileURLWithPath: outputPrefix + ".in"))
            return try FileHandle(forReadingFrom: URL(fileURLWithPath: outputPrefix + ".in"))
        }
        defer {
            try? stdoutFile.close()
            try? stderrFile.close()
            try? stdinFile?.close()
        }
        process = Process()
        process.executableURL = try ShroffBinary.url()
        process.arguments = arguments
        process.environment = environment
        process.standardInput = stdinFile ?? FileHandle.nullDevice
        process.standardOutput = stdoutFile
        process.standardError = stderrFile
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }

    /// What it has written so far.
    var stdout: String { Self.text(at: stdoutPath) }
    var stderr: String { Self.text(at: stderrPath) }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits until standard error holds `text`. Fails if the process ends first or `timeout` passes.
    func waitForStderr(containing text: String, within timeout: Duration = .seconds(10)) async throws {
        _ = try await waitForStderr(within: timeout, what: "\"\(text)\" on standard error") { $0.contains(text) ? $0 : nil }
    }

    /// Waits until one line of standard error holds every one of `texts`.
    func waitForStderrLine(containing texts: [String], within timeout: Duration = .seconds(10)) async throws {
        _ = try await waitForStderr(within: timeout, what: "a line with \(texts) on standard error") { text in
            text.split(separator: "\n").contains { line in texts.allSatisfy(line.contains) } ? text : nil
        }
    }

    /// Waits until the first capture group of `pattern` matches standard error; returns it.
    func waitForStderr(capturing pattern: String, within timeout: Duration = .seconds(10)) async throws -> String {
        let regex = try Regex(pattern)
        return try await waitForStderr(within: timeout, what: "/\(pattern)/ on standard error") { text in
            guard let match = text.firstMatch(of: regex), match.count > 1, let captured = match[1].substring else { return nil }
            return String(captured)
        }
    }

    /// Waits until standard output holds `text` (a result printed before the process ends).
    func waitForStdout(containing text: String, within timeout: Duration = .seconds(10)) async throws {
        _ = try await waitFor(stdout, within: timeout, what: "\"\(text)\" on standard output") { $0.contains(text) ? $0 : nil }
    }

    private func waitForStderr(within timeout: Duration, what: String, _ found: (String) -> String?) async throws -> String {
        try await waitFor(stderr, within: timeout, what: what, found)
    }

    private func waitFor(_ output: @autoclosure () -> String, within timeout: Duration, what: String,
                         _ found: (String) -> String?) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Read before checking for an exit, so the last words of a process that just ended count.
            let running = process.isRunning
            if let value = found(output()) { return value }
            guard running else { throw ShroffFailedToShow(what: what, run: try await finish()) }
            guard ContinuousClock.now < deadline else {
                send(SIGKILL)
                process.waitUntilExit()
                throw ShroffFailedToShow(what: what + " within \(timeout)", run: result())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the process to end, killing it (and failing) if it runs longer than `timeout`.
    func finish(within timeout: Duration = .seconds(20)) async throws -> ShroffRun {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                send(SIGKILL)
                process.waitUntilExit()
                throw ShroffHung(timeout: timeout, run: result())
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return result()
    }

    private func result() -> ShroffRun {
        let bySignal = process.terminationReason == .uncaughtSignal
        return ShroffRun(arguments: arguments,
                         exitCode: bySignal ? nil : process.terminationStatus,
                         signal: bySignal ? process.terminationStatus : nil,
                         stdout: stdout, stderr: stderr, elapsed: ContinuousClock.now - startedAt)
    }

    private static func text(at path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}

/// What a finished run of `shroff` showed: how it ended and its two streams.
struct ShroffRun: Sendable, CustomStringConvertible {
    let arguments: [String]
    /// nil when a signal ended it.
    let exitCode: Int32?
    let signal: Int32?
    let stdout: String
    let stderr: String
    let elapsed: Duration

    /// Everything it printed, for checks that nothing shows a secret anywhere.
    var allOutput: String { stdout + stderr }

    var description: String {
        let ending = exitCode.map { "exit \($0)" } ?? "signal \(signal ?? 0)"
        return "shroff \(arguments.joined(separator: " ")) → \(ending) after \(elapsed)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)---"
    }

    /// Standard output as exactly one JSON object (and nothing else).
    func json() throws -> JSONObject {
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 1 else { throw NotOneJSONObject(run: self) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any] else {
            throw NotOneJSONObject(run: self)
        }
        return JSONObject(object)
    }
}

/// A JSON object a command printed, read field by field.
struct JSONObject: @unchecked Sendable {
    // @unchecked: holds only what JSONSerialization produced, never mutated.
    let fields: [String: Any]

    init(_ fields: [String: Any]) { self.fields = fields }

    subscript(string key: String) -> String? { fields[key] as? String }
    subscript(bool key: String) -> Bool? { fields[key] as? Bool }
    subscript(int key: String) -> Int? { fields[key] as? Int }
    subscript(objects key: String) -> [JSONObject]? { (fields[key] as? [[String: Any]])?.map(JSONObject.init) }
    subscript(strings key: String) -> [String]? { fields[key] as? [String] }
    func isNull(_ key: String) -> Bool { fields[key] is NSNull }
    func has(_ key: String) -> Bool { fields[key] != nil }
}

struct NotOneJSONObject: Error, CustomStringConvertible {
    let run: ShroffRun
    var description: String { "standard output is not exactly one JSON object:\n\(run)" }
}

struct ShroffHung: Error, CustomStringConvertible {
    let timeout: Duration
    let run: ShroffRun
    var description: String { "shroff was still running after \(timeout) and was killed:\n\(run)" }
}

struct ShroffFailedToShow: Error, CustomStringConvertible {
    let what: String
    let run: ShroffRun
    var description: String { "shroff never showed \(what):\n\(run)" }
}
