import CheckoutCore
import Config
import Foundation
import Testing

@Suite("Configuration: [ledger] on a server, [store] till and id")
struct ConfigLedgerServerTests {
    static let password = "pg-Secret-7Hq2"

    static func config(_ ledger: String, store: String = "till = \"counter-1\"") -> String {
        ConfigFixture.config(replacing: "ledger = \"~/shop/ledger.sqlite\"", with: "ledger = \"~/shop/ledger.sqlite\"\n\(store)")
            + "\n\n[ledger]\n" + ledger + "\n"
    }

    func load(_ text: String, mode: Int = 0o600, environment extra: [String: String] = [:]) throws -> ShroffConfiguration {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", text, mode: mode)
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment.merging(extra) { $1 })
    }

    func refusal(_ text: String, mode: Int = 0o600, environment extra: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(text, mode: mode, environment: extra)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func readsTheServerTheTillAndThePasswordFromTheEnvironment() throws {
        let config = try load(Self.config("""
            url = "postgresql://shroff@10.0.0.5:5433/shop"
            password_env = "SHROFF_LEDGER_PASSWORD"
            """), environment: ["SHROFF_LEDGER_PASSWORD": Self.password])
        let server = try #require(config.ledgerServer)
        #expect(server.user == "shroff" && server.host == "10.0.0.5" && server.port == 5433 && server.database == "shop")
        #expect(server.password?.reveal() == Self.password)
        #expect(server.tls == .verifyFull)
        #expect(config.store.till == "counter-1")
        #expect(config.store.id == "Lucky Tea House")
        #expect(!"\(config)".contains(Self.password))
    }

    @Test func withoutALedgerTableTheLedgerStaysTheFileAndTheStoreIdIsItsName() throws {
        let config = try load(ConfigFixture.validConfig)
        #expect(config.ledgerServer == nil)
        #expect(config.store.till == nil)
        #expect(config.store.id == "Lucky Tea House")
    }

    @Test func aStoreIdNamesTheStoreInAChainsLedger() throws {
        let config = try load(Self.config("url = \"postgresql://shroff@10.0.0.5/shop\"",
                                          store: "till = \"counter-2\"\nid = \"tea-house-central\""))
        #expect(config.store.id == "tea-house-central")
        #expect(config.ledgerServer?.port == 5432)
    }

    @Test func aServerLedgerNeedsTheTillsName() throws {
        let error = try #require(refusal(Self.config("url = \"postgresql://shroff@10.0.0.5/shop\"", store: "")))
        #expect(error.kind == .missingKey)
        #expect(error.description.contains("till = \"counter-1\" in [store]"))
    }

    @Test func aPasswordInTheURLIsRefusedWithoutRepeatingIt() throws {
        let error = try #require(refusal(Self.config("url = \"postgresql://shroff:\(Self.password)@10.0.0.5/shop\"")))
        #expect(error.kind == .invalidValue)
        #expect(error.description.contains("password_env"))
        #expect(!error.description.contains(Self.password))
    }

    @Test func plainTextIsAllowedToThisMachineOnly() throws {
        let remote = try #require(refusal(Self.config("url = \"postgresql://shroff@10.0.0.5/shop\"\ntls = \"disable\"")))
        #expect(remote.kind == .invalidValue && remote.description.contains("plain text"))
        let local = try load(Self.config("url = \"postgresql://shroff@127.0.0.1/shop\"\ntls = \"disable\""))
        #expect(local.ledgerServer?.tls == .disable)
        let unknown = try #require(refusal(Self.config("url = \"postgresql://shroff@10.0.0.5/shop\"\ntls = \"prefer\"")))
        #expect(unknown.description.contains("verify-full, require or disable"))
    }

    @Test func aPasswordFileOthersCanReadIsRefused() throws {
        let fixture = try ConfigFixture()
        let secretPath = try fixture.write("etc/ledger.password", Self.password + "\n", mode: 0o644)
        let path = try fixture.write("etc/shroff.toml", Self.config("""
            url = "postgresql://shroff@10.0.0.5/shop"
            password_file = "\(secretPath)"
            """))
        #expect {
            _ = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        } throws: { error in
            (error as? ConfigError)?.kind == .insecurePermissions && "\(error)".contains("chmod 600 \(secretPath)")
        }
        try fixture.chmod(secretPath, 0o600)
        let config = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        #expect(config.ledgerServer?.password?.reveal() == Self.password)
    }

    @Test func aURLThatIsNotPostgreSQLIsRefused() throws {
        for url in ["mysql://shroff@10.0.0.5/shop", "postgresql://10.0.0.5/shop", "postgresql://shroff@10.0.0.5/"] {
            let error = try #require(refusal(Self.config("url = \"\(url)\"")))
            #expect(error.kind == .invalidValue, "\(url)")
        }
    }
}
