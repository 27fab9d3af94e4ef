import CheckoutCore
import Config
import Foundation
import Testing

@Suite("Configuration: [providers.cloudpay]")
struct ConfigCloudPayTests {
    static let secret = "cp_secret_9Xq2Lm7Vt4"

    static func config(_ table: String, notify: Bool = true) -> String {
        """
        [store]
        name = "Lucky Tea House"
        currency = "CNY"
        timezone = "Asia/Shanghai"
        ledger = "~/shop/ledger.sqlite"

        [checkout]
        provider = "cloudpay"

        [providers.cloudpay]
        \(table)
        """ + (notify ? "\n[notify]\nlisten = \"127.0.0.1:8787\"\n" : "")
    }

    func load(_ text: String, environment extra: [String: String] = [:]) throws -> ShroffConfiguration {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", text)
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment.merging(extra) { $1 })
    }

    func refusal(_ text: String, environment extra: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(text, environment: extra)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func readsTheKeysWithAlipayByDefaultAndTheSecretFromTheEnvironment() throws {
        let config = try load(Self.config("""
            base_url = "https://pay.example.com/"
            appkey = "a3c65c2974270fd093ee8a9bf8ae7d0b"
            appsecret_env = "SHROFF_CLOUDPAY_APPSECRET"
            """), environment: ["SHROFF_CLOUDPAY_APPSECRET": Self.secret])
        let cloudPay = try #require(config.cloudPay)
        #expect(cloudPay.baseURL == "https://pay.example.com")
        #expect(cloudPay.appKey == "a3c65c2974270fd093ee8a9bf8ae7d0b")
        #expect(cloudPay.appSecret.reveal() == Self.secret)
        #expect(cloudPay.wallets == [.alipay])
        #expect(cloudPay.plainHTTPWarning == nil)
        #expect(config.notify.isConfigured)
        let summary = config.summary().map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        #expect(!summary.contains(Self.secret))
        #expect(summary.contains("/notify/cloudpay"))
    }

    @Test func takesWeChatAndAlipayInTypes() throws {
        let config = try load(Self.config("""
            base_url = "https://pay.example.com"
            appkey = "k"
            appsecret_env = "S"
            types = ["wechat", "alipay"]
            """), environment: ["S": Self.secret])
        #expect(config.cloudPay?.wallets == [.wechat, .alipay])
    }

    @Test func aTypoInTypesNamesTheFileTheKeyAndTheFix() throws {
        let error = try #require(refusal(Self.config("""
            base_url = "https://pay.example.com"
            appkey = "k"
            appsecret_env = "S"
            types = ["alipy"]
            """), environment: ["S": Self.secret]))
        #expect(error.description.contains("providers.cloudpay.types"))
        #expect(error.description.contains("\"alipy\""))
        #expect(error.description.contains("types = [\"alipay\"]"))
        #expect(error.description.contains("shroff.toml"))
    }

    @Test func plainHTTPToAnotherHostNeedsAllowPlainHTTPAndThenWarns() throws {
        let table = """
            base_url = "http://pay.example.com"
            appkey = "k"
            appsecret_env = "S"
            """
        let error = try #require(refusal(Self.config(table), environment: ["S": Self.secret]))
        #expect(error.description.contains("allow_plain_http = true"))

        let config = try load(Self.config(table + "\nallow_plain_http = true"), environment: ["S": Self.secret])
        let warning = try #require(config.cloudPay?.plainHTTPWarning)
        #expect(warning.contains("forged"))
        #expect(config.cloudPay?.warnings == [warning])

        let loopback = try load(Self.config("""
            base_url = "http://127.0.0.1:8765/cloudpay"
            appkey = "k"
            appsecret_env = "S"
            """), environment: ["S": Self.secret])
        #expect(loopback.cloudPay?.plainHTTPWarning == nil)
    }

    @Test func aMissingSecretOrBaseURLSaysWhatToAdd() throws {
        let noSecret = try #require(refusal(Self.config("base_url = \"https://pay.example.com\"\nappkey = \"k\"")))
        #expect(noSecret.description.contains("appsecret_env"))
        let noURL = try #require(refusal(Self.config("appkey = \"k\"\nappsecret_env = \"S\""), environment: ["S": Self.secret]))
        #expect(noURL.description.contains("providers.cloudpay.base_url is required"))
        let misspelt = try #require(refusal(Self.config("base_url = \"https://pay.example.com\"\nappkey = \"k\"\nappsecret_env = \"S\"\napp_secret = \"x\""),
                                            environment: ["S": Self.secret]))
        #expect(misspelt.description.contains("app_secret"))
        #expect(misspelt.description.contains("appsecret"))
    }

    @Test func withoutANotifyTableTheConfigurationSaysSo() throws {
        let config = try load(Self.config("""
            base_url = "https://pay.example.com"
            appkey = "k"
            appsecret_env = "S"
            """, notify: false), environment: ["S": Self.secret])
        #expect(!config.notify.isConfigured)
    }
}

extension ConfigCloudPayTests {
    @Test func aFileChoosingCloudPayWithoutItsTableTrainsOnTheTrainingLedger() throws {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", """
            [store]
            name = "Lucky Tea House"
            currency = "CNY"
            timezone = "Asia/Shanghai"
            ledger = "shop.sqlite"

            [checkout]
            provider = "cloudpay"
            """)
        let config = try ConfigLoader.load(explicitPath: path, environment: fixture.environment.merging(["XDG_DATA_HOME": fixture.root + "/data"]) { $1 })
        #expect(config.isTraining)
        #expect(config.checkout.provider == "cloudpay")
        #expect(config.store.currency == .cny)
        #expect(config.store.ledgerPath == fixture.root + "/data/shroff/training-ledger.sqlite")
        #expect(config.cloudPay == nil)
    }
}

extension ConfigCloudPayTests {
    static let keys = """
        base_url = "https://pay.example.com"
        appkey = "k"
        appsecret_env = "S"
        """

    @Test func maxPriceAdjustmentIsTenFenUnlessSetAndReadAsMoney() throws {
        let unset = try load(Self.config(Self.keys), environment: ["S": Self.secret])
        #expect(unset.cloudPay?.maxPriceAdjustment == Money(minorUnits: 10, currency: .cny))
        for (text, fen) in [("0.05", Int64(5)), ("1.5", 150), ("2", 200), ("0", 0), ("0.00", 0)] {
            let config = try load(Self.config(Self.keys + "\nmax_price_adjustment = \"\(text)\""), environment: ["S": Self.secret])
            #expect(config.cloudPay?.maxPriceAdjustment == Money(minorUnits: fen, currency: .cny), "\(text)")
        }
        let summary = unset.summary().map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        #expect(summary.contains("within CNY 0.10 of the price"), "\(summary)")
    }

    @Test func aNegativeOrMalformedMaxPriceAdjustmentIsRefusedWithTheFix() throws {
        for (line, words) in [("\"-0.10\"", "is negative"), ("\"0.105\"", "is not an amount"), ("\"ten fen\"", "is not an amount"),
                              ("\"\"", "is not an amount"), ("0.10", "must be a string"), ("-1", "must be a string")] {
            let error = try #require(refusal(Self.config(Self.keys + "\nmax_price_adjustment = \(line)"), environment: ["S": Self.secret]), "\(line)")
            #expect(error.description.contains("providers.cloudpay.max_price_adjustment"), "\(error)")
            #expect(error.description.contains(words), "\(line): \(error)")
            #expect(error.description.contains("max_price_adjustment = \"0.10\""), "\(error)")
            #expect(error.description.contains("shroff.toml"), "\(error)")
        }
    }
}
