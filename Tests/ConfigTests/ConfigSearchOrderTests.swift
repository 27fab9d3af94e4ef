import CheckoutCore
import Config
import Foundation
import Testing

@Suite("Configuration: where it is looked for, and training mode")
struct ConfigSearchOrderTests {
    func config(named name: String) -> String {
        ConfigFixture.config(replacing: "Lucky Tea House", with: name)
    }

    @Test func explicitPathWinsOverEnvironmentWhichWinsOverXDG() throws {
        let fixture = try ConfigFixture()
        let explicit = try fixture.write("explicit.toml", config(named: "Explicit"))
        let fromEnvironment = try fixture.write("env.toml", config(named: "Environment"))
        try fixture.write("xdg/shroff/config.toml", config(named: "XDG"))
        try fixture.write("home/.config/shroff/config.toml", config(named: "Home"))

        var environment = fixture.environment
        environment["SHROFF_CONFIG"] = fromEnvironment
        environment["XDG_CONFIG_HOME"] = fixture.root + "/xdg"

        #expect(try ConfigLoader.load(explicitPath: explicit, environment: environment).store.name == "Explicit")
        #expect(try ConfigLoader.load(explicitPath: nil, environment: environment).store.name == "Environment")
        environment["SHROFF_CONFIG"] = nil
        let xdg = try ConfigLoader.load(explicitPath: nil, environment: environment)
        #expect(xdg.store.name == "XDG")
        #expect(xdg.source == .file(fixture.root + "/xdg/shroff/config.toml"))
        environment["XDG_CONFIG_HOME"] = nil
        #expect(try ConfigLoader.load(explicitPath: nil, environment: environment).store.name == "Home")
        environment["XDG_CONFIG_HOME"] = "relative/dir"  // ignored, as the XDG rules say
        #expect(try ConfigLoader.load(explicitPath: nil, environment: environment).store.name == "Home")
    }

    @Test func anExplicitPathThatDoesNotExistIsAnErrorEvenWhenOthersExist() throws {
        let fixture = try ConfigFixture()
        try fixture.write("home/.config/shroff/config.toml", config(named: "Home"))
        let missing = fixture.root + "/nowhere/shroff.toml"
        #expect {
            _ = try ConfigLoader.load(explicitPath: missing, environment: fixture.environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .fileNotFound && error.file == missing
                && error.description.contains("configuration file \(missing) (given by --config) does not exist")
        }
    }

    @Test func aShroffConfigPathThatDoesNotExistIsAnError() throws {
        let fixture = try ConfigFixture()
        var environment = fixture.environment
        environment["SHROFF_CONFIG"] = fixture.root + "/gone.toml"
        #expect {
            _ = try ConfigLoader.load(explicitPath: nil, environment: environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .fileNotFound && error.description.contains("(given by $SHROFF_CONFIG) does not exist")
        }
    }

    @Test func aTildeInTheExplicitPathMeansHome() throws {
        let fixture = try ConfigFixture()
        try fixture.write("home/till.toml", config(named: "Tilde"))
        let loaded = try ConfigLoader.load(explicitPath: "~/till.toml", environment: fixture.environment)
        #expect(loaded.store.name == "Tilde")
        #expect(loaded.source == .file(fixture.home + "/till.toml"))
    }

    @Test func aRelativePathIsReportedAsAnAbsoluteOne() throws {
        let fixture = try ConfigFixture()
        try fixture.write("etc/shroff.toml", config(named: "Relative"))
        // Up from the working directory to "/", then down to the file.
        let up = FileManager.default.currentDirectoryPath.split(separator: "/").map { _ in ".." }
        let relative = (up + [String(fixture.root.dropFirst()), "etc", ".", "shroff.toml"]).joined(separator: "/")
        let loaded = try ConfigLoader.load(explicitPath: relative, environment: fixture.environment)
        #expect(loaded.source == .file(fixture.root + "/etc/shroff.toml"))
    }

    @Test func aDirectoryIsNotAConfigurationFile() throws {
        let fixture = try ConfigFixture()
        #expect {
            _ = try ConfigLoader.load(explicitPath: fixture.home, environment: fixture.environment)
        } throws: { error in
            (error as! ConfigError).kind == .unreadable
        }
    }

    @Test func trainingModeWhenNoFileIsFound() throws {
        let fixture = try ConfigFixture()
        let config = try ConfigLoader.load(explicitPath: nil, environment: fixture.environment)
        #expect(config.isTraining)
        #expect(config.source == .training)
        #expect(config.store.name == "Training store")
        #expect(config.store.currency == .hkd)
        #expect(config.store.timeZone.identifier == "Asia/Hong_Kong")
        #expect(config.checkout.provider == "wantu")
        #expect(config.checkout == .defaults)
        #expect(config.wantu == nil)
        #expect(config.store.ledgerPath == fixture.home + "/.local/share/shroff/training-ledger.sqlite")

        let rows = Dictionary(config.summary(), uniquingKeysWith: { a, _ in a })
        #expect(rows["Mode"]?.hasPrefix("training") == true)
    }

    @Test func trainingLedgerFollowsXDGDataHomeAndDiffersFromTheRealOne() throws {
        let fixture = try ConfigFixture()
        var environment = fixture.environment
        environment["XDG_DATA_HOME"] = fixture.root + "/data"
        let training = try ConfigLoader.load(explicitPath: nil, environment: environment)
        #expect(training.store.ledgerPath == fixture.root + "/data/shroff/training-ledger.sqlite")

        let real = try ConfigLoader.load(
            explicitPath: try fixture.write("shroff.toml", ConfigFixture.config(replacing: "ledger = \"~/shop/ledger.sqlite\"", with: "")),
            environment: environment)
        #expect(real.store.ledgerPath == fixture.root + "/data/shroff/ledger.sqlite")
        #expect(real.store.ledgerPath != training.store.ledgerPath)
    }

    @Test func trainingCanBeGivenTheSandboxGateway() throws {
        let fixture = try ConfigFixture()
        var config = try ConfigLoader.load(explicitPath: nil, environment: fixture.environment)
        config.wantu = WantuSettings(baseURL: "http://127.0.0.1:51234/paygate", merchantAccount: "TRAIN", storeAccount: "TRAIN-1",
                                     key: Secret("sandbox-key-123456"), notifyURL: "http://127.0.0.1:51234/notify", deviceSN: nil)
        #expect(config.isTraining)
        let rows = Dictionary(config.summary(), uniquingKeysWith: { a, _ in a })
        #expect(rows["Key"] == "set (by the training sandbox)")
        #expect(!config.summary().contains { $0.1.contains("sandbox-key-123456") })
    }

    @Test func withoutAHomeThereIsNothingToSearch() {
        #expect {
            _ = try ConfigLoader.load(explicitPath: nil, environment: [:])
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .noHomeDirectory && error.description.contains("pass --config")
        }
    }
}
