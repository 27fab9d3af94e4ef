import CheckoutCore
import Config
import Foundation
import Testing

@Suite("Configuration: the gateway key")
struct ConfigSecretTests {
    static let secret = ConfigFixture.secretKey
    static let inlineKey = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key = \"\(secret)\"")

    func configPath(_ fixture: ConfigFixture, _ text: String, mode: Int) throws -> String {
        try fixture.write("etc/shroff.toml", text, mode: mode)
    }

    @Test func refusesAKeyInAFileOthersCanReadAndSaysHowToFixIt() throws {
        let fixture = try ConfigFixture()
        for mode in [0o644, 0o640, 0o604, 0o660] {
            let path = try configPath(fixture, Self.inlineKey, mode: mode)
            #expect {
                _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
            } throws: { error in
                let error = error as! ConfigError
                return error.kind == .insecurePermissions && error.description
                    == "\(path) holds a secret (providers.wantu.key) and is readable by other users: run chmod 600 \(path)"
            }
        }

        // Following the advice makes the same file load.
        let path = fixture.root + "/etc/shroff.toml"
        try fixture.chmod(path, 0o600)
        let config = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        #expect(config.wantu?.key.reveal() == Self.secret)
        #expect(config.wantu?.keySource == .configurationFile(path))
        #expect(Dictionary(config.summary(), uniquingKeysWith: { a, _ in a })["Key"] == "set (in \(path))")
    }

    @Test func aFileWithoutAKeyMayBeReadableByOthers() throws {
        let fixture = try ConfigFixture()
        let path = try configPath(fixture, ConfigFixture.validConfig, mode: 0o644)
        let config = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        #expect(config.wantu?.key.reveal() == Self.secret)
    }

    @Test func readsTheKeyFromAKeyFileAndTrimsTheTrailingNewline() throws {
        let fixture = try ConfigFixture()
        let keyPath = try fixture.write("home/.config/shroff/wantu.key", Self.secret + "\n", mode: 0o600)
        let text = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key_file = \"~/.config/shroff/wantu.key\"")
        let path = try configPath(fixture, text, mode: 0o644)
        let config = try ConfigLoader.load(explicitPath: path, environment: ["HOME": fixture.home])
        #expect(config.wantu?.key.reveal() == Self.secret)
        #expect(config.wantu?.keySource == .keyFile(keyPath))
        #expect(Dictionary(config.summary(), uniquingKeysWith: { a, _ in a })["Key"] == "set (from file \(keyPath))")
    }

    @Test func aRelativeKeyFileIsFoundBesideTheConfiguration() throws {
        let fixture = try ConfigFixture()
        try fixture.write("etc/wantu.key", Self.secret + "\r\n", mode: 0o400)
        let text = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key_file = \"wantu.key\"")
        let config = try ConfigLoader.load(explicitPath: try configPath(fixture, text, mode: 0o600), environment: ["HOME": fixture.home])
        #expect(config.wantu?.key.reveal() == Self.secret)
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let fixture = try ConfigFixture()
        let keyPath = try fixture.write("etc/wantu.key", Self.secret, mode: 0o640)
        let text = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key_file = \"wantu.key\"")
        let path = try configPath(fixture, text, mode: 0o600)
        #expect {
            _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .insecurePermissions && error.description
                == "\(keyPath) holds a secret (providers.wantu.key_file) and is readable by other users: run chmod 600 \(keyPath)"
        }
    }

    @Test func anEmptyOrMissingKeyFileIsNamed() throws {
        let fixture = try ConfigFixture()
        let keyPath = try fixture.write("etc/wantu.key", "\n", mode: 0o600)
        let text = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key_file = \"wantu.key\"")
        let path = try configPath(fixture, text, mode: 0o600)
        #expect {
            _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .secretUnavailable && error.description.contains("key file \(keyPath) (providers.wantu.key_file) is empty")
        }

        try FileManager.default.removeItem(atPath: keyPath)
        #expect {
            _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .secretUnavailable && error.description.contains("key file \(keyPath) (providers.wantu.key_file) does not exist")
        }
    }

    @Test(arguments: [nil, ""] as [String?])
    func aMissingKeyVariableIsNamed(_ value: String?) throws {
        let fixture = try ConfigFixture()
        let path = try configPath(fixture, ConfigFixture.validConfig, mode: 0o600)
        var environment = ["HOME": fixture.home]
        environment["SHROFF_WANTU_KEY"] = value
        #expect {
            _ = try ConfigLoader.load(explicitPath: path, environment: environment)
        } throws: { error in
            let error = error as! ConfigError
            return error.kind == .secretUnavailable && error.key == "providers.wantu.key_env"
                && error.description.contains("environment variable SHROFF_WANTU_KEY (named by providers.wantu.key_env) is not set or is empty")
        }
    }

    @Test func secretNeverPrintsItsValue() {
        let secret = Secret(Self.secret)
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(secret.reveal() == Self.secret)
        #expect(secret.description == "<redacted>")
        #expect(secret.debugDescription == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!dumped.contains(Self.secret))
        #expect(Mirror(reflecting: secret).children.isEmpty)
    }

    /// Every way a configuration or an error can become text: none may contain the key.
    func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test func noRenderingOfALoadedConfigurationContainsTheKey() throws {
        let fixture = try ConfigFixture()
        let keyFile = try fixture.write("etc/wantu.key", Self.secret, mode: 0o600)
        let variants = [
            ConfigFixture.validConfig,
            Self.inlineKey,
            ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"", with: "key_file = \"\(keyFile)\""),
        ]
        for text in variants {
            let config = try ConfigLoader.load(explicitPath: try configPath(fixture, text, mode: 0o600), environment: fixture.environment)
            #expect(config.wantu?.key.reveal() == Self.secret)
            for rendering in renderings(of: config) + renderings(of: config.wantu as Any) + config.summary().flatMap({ [$0.0, $0.1] }) {
                #expect(!rendering.contains(Self.secret))
            }
        }
    }

    @Test func noErrorContainsTheKey() throws {
        let fixture = try ConfigFixture()
        let secret = Self.secret
        let inline = "key = \"\(secret)\""
        let env = "key_env = \"SHROFF_WANTU_KEY\""
        let cases: [(text: String, mode: Int)] = [
            (Self.inlineKey, 0o644),                                                        // permission refusal
            (ConfigFixture.config(replacing: env, with: "key = \(secret)"), 0o600),           // unquoted: syntax error
            (ConfigFixture.config(replacing: env, with: "key = \"\(secret)"), 0o600),         // unterminated
            (ConfigFixture.config(replacing: env, with: "key = \"\(secret)\\q\""), 0o600),    // bad escape
            (ConfigFixture.config(replacing: env, with: "key = '\(secret)' # \u{07}"), 0o600), // bad comment after it
            (ConfigFixture.config(replacing: env, with: "\(env)\n\(inline)"), 0o600),          // two sources
            (ConfigFixture.config(replacing: env, with: "key = [\"\(secret)\"]"), 0o600),     // wrong type
            (ConfigFixture.config(replacing: env, with: "kye = \"\(secret)\""), 0o600),       // typo'd key name
            (ConfigFixture.config(replacing: env, with: "\(inline)\n\(inline)"), 0o600),       // duplicate
            (ConfigFixture.config(replacing: "HKD", with: "XYZ").replacingOccurrences(of: env, with: inline), 0o600),
            (ConfigFixture.config(replacing: "pay_timeout_s = 40", with: "pay_timeout_s = 99"), 0o600),
            (ConfigFixture.config(replacing: "\"POS-7\"", with: "\"POS-7\"\nkey_file = \"missing.key\""), 0o600),
        ]
        for (offset, example) in cases.enumerated() {
            let path = try configPath(fixture, example.text, mode: example.mode)
            do {
                _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
                Issue.record("case \(offset) loaded; expected an error")
            } catch {
                for rendering in renderings(of: error) + [error.message] {
                    #expect(!rendering.contains(secret), "case \(offset) leaked the key")
                    #expect(!rendering.contains(String(secret.prefix(12))), "case \(offset) leaked part of the key")
                }
            }
        }
    }
}
