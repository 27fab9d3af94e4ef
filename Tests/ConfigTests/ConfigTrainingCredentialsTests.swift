import CheckoutCore
import Config
import Foundation
import Testing

/// A shop's table that reaches a real gateway with the sandbox's published training credentials
/// is refused as the configuration loads: anyone can sign with a published secret. The same
/// credentials against a gateway on this machine (`shroff sandbox`) are how gateways are tried.
@Suite("Configuration: the sandbox's published training credentials")
struct ConfigTrainingCredentialsTests {
    /// One gateway's table, with the shop's own credentials and a base_url that is not this machine.
    struct Table: CustomTestStringConvertible, Sendable {
        let provider: String
        let currency: String
        /// Its lines, with `BASE` where the base URL goes.
        let lines: String
        /// The shop's own secret (given as `secretKey = "…"` in `lines`) and the published one.
        let secretKey: String
        let ownSecret: String
        let publishedSecret: String
        /// An identifier the sandbox publishes: its key, the shop's own value, the published one.
        let idKey: String
        let ownID: String
        let publishedID: String
        let remoteBase: String
        let loopbackBase: String

        var testDescription: String { provider }

        func config(base: String, secret: String? = nil, id: String? = nil) -> String {
            """
            [store]
            name = "Lucky Tea House"
            currency = "\(currency)"
            timezone = "Asia/Shanghai"
            ledger = "ledger.sqlite"

            [checkout]
            provider = "\(provider)"

            [providers.\(provider)]
            \(lines.replacingOccurrences(of: "BASE", with: base)
                .replacingOccurrences(of: "\(secretKey) = \"\(ownSecret)\"", with: "\(secretKey) = \"\(secret ?? ownSecret)\"")
                .replacingOccurrences(of: "\(idKey) = \"\(ownID)\"", with: "\(idKey) = \"\(id ?? ownID)\""))
            """
        }
    }

    static let tables = [
        Table(provider: "wantu", currency: "HKD", lines: """
                  base_url = "BASE"
                  merchant_account = "M-10001"
                  store_account = "S-20002"
                  key = "wk_live_7Qm2vX9pL4sT8nR1zY6c"
                  notify_url = "https://tea.example.com/notify/wantu"
                  """,
              secretKey: "key", ownSecret: "wk_live_7Qm2vX9pL4sT8nR1zY6c", publishedSecret: TrainingCredentials.wantuKey,
              idKey: "merchant_account", ownID: "M-10001", publishedID: TrainingCredentials.wantuMerchantAccount,
              remoteBase: "https://merchants-api.wantu.cn/paygate", loopbackBase: "http://127.0.0.1:8765/paygate"),
        Table(provider: "aggregator", currency: "CNY", lines: """
                  base_url = "BASE"
                  appid = "gpu10000000"
                  secret = "agg_secret_Hx73kQpL0v"
                  notify_url = "https://tea.example.cn/notify/aggregator"
                  return_url = "https://tea.example.cn/"
                  """,
              secretKey: "secret", ownSecret: "agg_secret_Hx73kQpL0v", publishedSecret: TrainingCredentials.aggregatorSecret,
              idKey: "appid", ownID: "gpu10000000", publishedID: TrainingCredentials.aggregatorAppID,
              remoteBase: "https://pay.example.cn", loopbackBase: "http://127.0.0.1:8765/aggregator"),
        Table(provider: "cloudpay", currency: "CNY", lines: """
                  base_url = "BASE"
                  appkey = "a3c65c2974270fd093ee8a9bf8ae7d0b"
                  appsecret = "cp_secret_9Xq2Lm7Vt4"
                  """,
              secretKey: "appsecret", ownSecret: "cp_secret_9Xq2Lm7Vt4", publishedSecret: TrainingCredentials.cloudPayAppSecret,
              idKey: "appkey", ownID: "a3c65c2974270fd093ee8a9bf8ae7d0b", publishedID: TrainingCredentials.cloudPayAppKey,
              remoteBase: "https://pay.example.com", loopbackBase: "http://127.0.0.1:8765/cloudpay"),
    ]

    func load(_ text: String, environment extra: [String: String] = [:]) throws -> ShroffConfiguration {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", text)
        return try ConfigLoader.load(explicitPath: path, environment: ["HOME": fixture.home].merging(extra) { $1 })
    }

    func refusal(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(text, environment: environment)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test("the shop's own credentials load", arguments: tables)
    func ownCredentialsLoad(_ table: Table) throws {
        _ = try load(table.config(base: table.remoteBase))
    }

    @Test("the published secret against a real gateway is refused at its line, never quoted", arguments: tables)
    func publishedSecretIsRefused(_ table: Table) throws {
        let text = table.config(base: table.remoteBase, secret: table.publishedSecret)
        let error = try #require(refusal(text))
        #expect(error.kind == .invalidValue)
        #expect(error.key == "providers.\(table.provider).\(table.secretKey)")
        #expect(error.line == ConfigFixture.line(of: "\(table.secretKey) = ", in: text))
        #expect(error.description.contains("published training"), "\(error)")
        #expect(error.description.contains("anyone can use to sign a notification"), "\(error)")
        #expect(error.description.contains("issued you there instead"), "\(error)")
        #expect(!error.description.contains(table.publishedSecret), "the message quotes the secret: \(error)")
    }

    @Test("a published account or app key against a real gateway is refused, saying what to put", arguments: tables)
    func publishedIdentifierIsRefused(_ table: Table) throws {
        let text = table.config(base: table.remoteBase, id: table.publishedID)
        let error = try #require(refusal(text))
        #expect(error.key == "providers.\(table.provider).\(table.idKey)")
        #expect(error.description.contains("\"\(table.publishedID)\""), "\(error)")
        #expect(error.description.contains("issued you there instead"), "\(error)")
    }

    @Test("the published credentials against a gateway on this machine load", arguments: tables)
    func publishedCredentialsOnLoopbackLoad(_ table: Table) throws {
        _ = try load(table.config(base: table.loopbackBase, secret: table.publishedSecret, id: table.publishedID))
    }

    @Test func thePublishedKeyFromTheEnvironmentIsRefusedAtItsVariable() throws {
        let text = ConfigFixture.validConfig
        let error = try #require(refusal(text, environment: ["SHROFF_WANTU_KEY": TrainingCredentials.wantuKey]))
        #expect(error.key == "providers.wantu.key_env")
        #expect(error.line == ConfigFixture.line(of: "key_env", in: text))
        #expect(!error.description.contains(TrainingCredentials.wantuKey))
        _ = try load(text, environment: ["SHROFF_WANTU_KEY": ConfigFixture.secretKey])
    }
}
