import Foundation
import Testing

/// `shroff refund` asks for the manager PIN once one is set, like the till's refund screen, and
/// every process counts its wrong tries against the same lockout.
@Suite("shroff refund and the manager PIN", .timeLimit(.minutes(2)))
struct RefundPINTests {
    static let pin = "2468"
    static let wrongPIN = "1357"

    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// Sets the PIN as a script does (no terminal: the PIN on standard input), and takes a
    /// training payment of HKD 12.30; returns its order number.
    func paidOrderWithPINSet() async throws -> String {
        let setPIN = try await till.run(["set-pin"], input: "\(Self.pin)\n")
        #expect(setPIN.exitCode == 0, "\(setPIN)")
        let paid = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"])
        return try #require(try paid.json()[string: "order"], "\(paid)")
    }

    /// What the ledger says was refunded today, through `shroff orders`.
    func refundedToday() async throws -> String? {
        let orders = try await till.run(["orders", "--json"])
        return try orders.json()[string: "refunded"]
    }

    @Test("without a PIN set, refund works as before: no PIN asked")
    func noPINSet() async throws {
        let paid = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"])
        let order = try #require(try paid.json()[string: "order"], "\(paid)")

        let refund = try await till.run(["refund", order, "--reason", "test", "--json"])

        #expect(refund.exitCode == 0, "\(refund)")
        #expect(try refund.json()[string: "status"] == "refunded", "\(refund)")
    }

    @Test("a wrong PIN on standard input refunds nothing; the right one refunds; the PIN is never shown")
    func pinOnStandardInput() async throws {
        let order = try await paidOrderWithPINSet()

        let wrong = try await till.run(["refund", order, "--reason", "test", "--pin-stdin"], input: "\(Self.wrongPIN)\n")
        #expect(wrong.exitCode == 1, "\(wrong)")
        #expect(wrong.stderr.contains("Wrong manager PIN: nothing was refunded. 2 more wrong PINs lock refunds for 5 minutes"), "\(wrong)")
        #expect(try await refundedToday() == "0.00")

        let right = try await till.run(["refund", order, "--reason", "test", "--pin-stdin", "--json"], input: "\(Self.pin)\n")
        #expect(right.exitCode == 0, "\(right)")
        #expect(try right.json()[string: "status"] == "refunded", "\(right)")
        #expect(try await refundedToday() == "12.30")
        for run in [wrong, right] {
            #expect(!run.allOutput.contains(Self.pin) && !run.allOutput.contains(Self.wrongPIN), "a PIN was shown:\n\(run)")
        }
    }

    @Test("without a terminal and without --pin-stdin it refuses, saying how to give the PIN")
    func noTerminal() async throws {
        let order = try await paidOrderWithPINSet()

        // Standard input holds the right PIN, but nothing said to read it from there.
        let run = try await till.run(["refund", order, "--reason", "test"], input: "\(Self.pin)\n")

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("A manager PIN guards refunds") && run.stderr.contains("--pin-stdin"), "\(run)")
        #expect(try await refundedToday() == "0.00")
    }

    /// Six processes try a wrong PIN at the same moment. Each reads the count, derives the PIN
    /// (tens of milliseconds) and writes the count back: without one lock for every process,
    /// several read the same count and wrong tries are lost. With it, the first two are told
    /// how many tries are left and the third locks refunds for everyone, the right PIN included.
    @Test("wrong PINs from several processes at once count against one lockout")
    func lockoutAcrossProcesses() async throws {
        let order = try await paidOrderWithPINSet()

        let processes = try (0..<6).map { _ in
            try till.start(["refund", order, "--reason", "test", "--pin-stdin"], input: "\(Self.wrongPIN)\n")
        }
        var runs: [ShroffRun] = []
        for process in processes { runs.append(try await process.finish(within: .seconds(60))) }

        let wrong = runs.filter { $0.stderr.contains("Wrong manager PIN") }
        let locked = runs.filter { $0.stderr.contains("Too many wrong manager PINs: refunds are locked until") }
        #expect(runs.allSatisfy { $0.exitCode == 1 }, "\(runs)")
        #expect(wrong.count == 2 && locked.count == 4, "wrong: \(wrong.count), locked: \(locked.count)\n\(runs)")
        #expect(wrong.contains { $0.stderr.contains("2 more wrong PINs") } && wrong.contains { $0.stderr.contains("One more wrong PIN") },
                "\(wrong)")

        let right = try await till.run(["refund", order, "--reason", "test", "--pin-stdin"], input: "\(Self.pin)\n")
        #expect(right.exitCode == 1, "\(right)")
        #expect(right.stderr.contains("refunds are locked until"), "\(right)")
        #expect(try await refundedToday() == "0.00")
    }
}
