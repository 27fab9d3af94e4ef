import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real second process: the built `shroff` binary in training mode (no configuration, an
/// in-process sandbox, the training ledger under `$XDG_DATA_HOME/shroff`) starts a QR order
/// and waits for the customer — a till holding its lease on the order. This test opens the
/// same ledger, sees the order in progress there, kills the till with SIGKILL, and takes the
/// order over.
@Suite("Ledger: an owner process killed with SIGKILL", .timeLimit(.minutes(1)))
struct LedgerKilledOwnerProcessTests {
    @Test func theOrderOfAKilledTillIsTakenOverByTheNextProcess() async throws {
        let binary = try ShroffBinary.url()
        try await withTemporaryFolder { root in
            for folder in ["home", "config", "data"] {
                try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
            }
            let ledgerPath = root + "/data/shroff/training-ledger.sqlite"
            let stderrPath = root + "/qr.err"
            try Data().write(to: URL(fileURLWithPath: stderrPath))
            let stderrFile = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))

            let till = Process()
            till.executableURL = binary
            till.arguments = ["qr", "--amount", "12.00"]
            till.environment = ["HOME": root + "/home", "XDG_CONFIG_HOME": root + "/config",
                                "XDG_DATA_HOME": root + "/data", "LANG": "C.UTF-8",
                                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            till.standardInput = FileHandle.nullDevice
            till.standardOutput = FileHandle.nullDevice
            till.standardError = stderrFile
            try till.run()
            try? stderrFile.close()
            defer {
                if till.isRunning {
                    kill(till.processIdentifier, SIGKILL)
                    till.waitUntilExit()
                }
            }
            let tillPID = till.processIdentifier

            // "[TRAINING] Order S… recorded." then "Waiting:" once the QR order is at the gateway.
            let text = try await Self.waitFor(stderrPath, of: till, within: .seconds(30)) {
                $0.contains("Order ") && $0.contains("Waiting:")
            }
            let match = try #require(text.firstMatch(of: /Order (S[0-9A-Z]+) recorded\./), "\(text)")
            let orderID = try OrderID(String(match.1))

            let ledger = try SQLiteLedger(path: ledgerPath)
            defer { try? ledger.close() }
            let running = try #require(try ledger.order(orderID))
            let tillLease = try #require(running.owner, "the till's order has no owner")
            #expect(tillLease.hasPrefix("\(tillPID)-"), "the order's owner \(tillLease) is not the till (pid \(tillPID))")
            #expect(tillLease != ledger.ownerID)
            #expect(!running.status.isFinal, "\(running.status)")
            #expect(leaseIDs(besideLedger: ledgerPath).contains(tillLease))

            // While the till lives, the order is its own.
            #expect(ledger.isInProgressElsewhere(running))
            #expect(try ledger.claim(orderID, at: Date()) == false)
            #expect(try ledger.order(orderID)?.owner == tillLease)
            #expect(leaseIDs(besideLedger: ledgerPath).contains(tillLease))

            kill(tillPID, SIGKILL)
            till.waitUntilExit()
            #expect(till.terminationReason == .uncaughtSignal && till.terminationStatus == SIGKILL,
                    "the till ended before it was killed: \(till.terminationReason.rawValue) \(till.terminationStatus)")
            // Nothing ran its cleanup: the lease file is still there, its lock gone with the process.
            #expect(leaseIDs(besideLedger: ledgerPath).contains(tillLease))

            let orphan = try #require(try ledger.order(orderID))
            #expect(orphan.owner == tillLease)
            #expect(!orphan.status.isFinal, "\(orphan.status)")
            let eventsBefore = try ledger.events(for: orderID)
            #expect(!ledger.isInProgressElsewhere(orphan))
            #expect(!leaseIDs(besideLedger: ledgerPath).contains(tillLease), "the killed till's lease file was left")

            #expect(try ledger.claim(orderID, at: Date()))

            let taken = try #require(try ledger.order(orderID))
            #expect(taken.owner == ledger.ownerID)
            #expect(taken.status == orphan.status)
            let events = try ledger.events(for: orderID)
            #expect(events.count == eventsBefore.count + 1)
            #expect(events.last?.kind == .takenOver)
            #expect(events.last?.detail.contains(tillLease) == true, "\(events.last?.detail ?? "none")")
        }
    }

    /// Waits until the file at `path` satisfies `done`; fails if the process ends first or the time passes.
    private static func waitFor(_ path: String, of process: Process, within timeout: Duration,
                                _ done: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let running = process.isRunning
            let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
            if done(text) { return text }
            guard running, ContinuousClock.now < deadline else {
                throw ChildDidNotShow(stderr: text, stillRunning: running)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    struct ChildDidNotShow: Error, CustomStringConvertible {
        let stderr: String
        let stillRunning: Bool
        var description: String {
            "shroff qr \(stillRunning ? "did not reach \"Waiting:\" in time" : "ended early"); its standard error:\n\(stderr)"
        }
    }
}
