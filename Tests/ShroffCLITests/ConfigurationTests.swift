import Foundation
import Testing

/// How shroff finds its configuration and refuses a bad one: exit 1, naming the file and the
/// key, saying what to do, never showing the key, and sending nothing.
@Suite("Configuration", .timeLimit(.minutes(1)))
struct ConfigurationTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// A port nothing listens on: a till configured with it fails loudly if it ever sends a request.
    static let deadPort = 9

    struct Typo: Sendable, CustomTestStringConvertible {
        let table: String
        let line: String
        let wrongKey: String
        let suggestion: String
        var testDescription: String { "\(wrongKey) → \(suggestion)" }
    }

    static let typos: [Typo] = [
        Typo(table: "store", line: "tiemzone = \"Asia/Hong_Kong\"", wrongKey: "store.tiemzone", suggestion: "timezone"),
        Typo(table: "checkout", line: "pol_interval_s = 1", wrongKey: "checkout.pol_interval_s", suggestion: "poll_interval_s"),
    ]

    @Test("a typo'd key: exit 1 naming the file, the key and the key it probably meant", arguments: typos)
    func typoKey(_ typo: Typo) async throws {
        var text = TillHome.gatewayConfig(port: Self.deadPort)
        if typo.table == "store" {
            text = text.replacingOccurrences(of: "timezone = \"Asia/Hong_Kong\"", with: typo.line)
        } else {
            text = text.replacingOccurrences(of: "[checkout]\n", with: "[checkout]\n\(typo.line)\n")
        }
        let config = try till.write("store/config.toml", text)

        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--config", config])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains(config), "\(run)")
        #expect(run.stderr.contains(typo.wrongKey), "\(run)")
        #expect(run.stderr.contains("did you mean \(typo.suggestion)"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: till.root + "/store/ledger.sqlite"), "a ledger was opened")
    }

    @Test("`key = ...` in a file others can read (0644): exit 1, says chmod 600, never shows the key")
    func keyInReadableFile() async throws {
        let key = "wk_live_7Qm2vX9pL4sT8nR1zY6c"
        let config = try till.write("store/config.toml", TillHome.gatewayConfig(port: Self.deadPort, key: key), mode: 0o644)

        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--config", config])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("chmod 600 \(config)"), "\(run)")
        #expect(run.stderr.contains("providers.wantu.key"), "\(run)")
        #expect(!run.allOutput.contains(key), "the key was shown:\n\(run)")
        #expect(!FileManager.default.fileExists(atPath: till.root + "/store/ledger.sqlite"), "a ledger was opened")
    }

    @Test("--config naming a file that does not exist: exit 1 naming it (not training mode)")
    func missingConfigOption() async throws {
        let missing = till.root + "/nowhere/config.toml"

        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--config", missing])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains(missing), "\(run)")
        #expect(run.stderr.contains("does not exist"), "\(run)")
        #expect(!run.allOutput.contains("TRAINING"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: till.trainingLedger), "fell back to training mode")
    }

    @Test("$SHROFF_CONFIG naming a missing file: exit 1, says $SHROFF_CONFIG gave it")
    func missingConfigEnvironment() async throws {
        let missing = till.root + "/nowhere/config.toml"

        let run = try await till.run(["--json"], environment: ["SHROFF_CONFIG": missing])

        #expect(run.exitCode == 1, "\(run)")
        let object = try run.json()
        #expect(object[string: "error"]?.contains(missing) == true, "\(run)")
        #expect(object[string: "error"]?.contains("$SHROFF_CONFIG") == true, "\(run)")
    }

    @Test("a file at $XDG_CONFIG_HOME/shroff/config.toml is found: no longer training mode")
    func xdgConfigIsFound() async throws {
        try till.write("config/shroff/config.toml", TillHome.gatewayConfig(port: Self.deadPort))

        let run = try await till.run([])

        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.hasPrefix("Shroff — CLI Test Store"), "\(run)")
        #expect(!run.allOutput.contains("TRAINING"), "\(run)")
        #expect(run.stdout.contains(till.root + "/config/shroff/ledger.sqlite"), "the ledger sits beside the file:\n\(run)")
        #expect(!run.allOutput.contains(TillHome.trainingKey), "the key was shown:\n\(run)")
    }

    @Test("a poll interval not shorter than the pay timeout: exit 1 naming both keys")
    func pollNotShorterThanTimeout() async throws {
        let config = try till.write("store/config.toml",
                                    TillHome.gatewayConfig(port: Self.deadPort, checkout: "poll_interval_s = 5\npay_timeout_s = 5"))

        let run = try await till.run(["status", "S261122112517GXCNN9", "--config", config])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("checkout.poll_interval_s"), "\(run)")
        #expect(run.stderr.contains("checkout.pay_timeout_s"), "\(run)")
    }
}
