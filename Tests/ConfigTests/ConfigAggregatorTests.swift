import CheckoutCore
import Config
import Foundation
import Testing

/// `[providers.aggregator]`: its keys, defaults, the plain-http rule and its warning.
@Suite struct ConfigAggregatorTests {
    static let secret = "agg_secret_Hx73kQpL0v"

    static let config = """
        [store]
        name = "Lucky Noodles"
        currency = "CNY"
        timezone = "Asia/Shanghai"
        ledger = "ledger.sqlite"

        [checkout]
        provider = "aggregator"

        [providers.aggregator]
        base_url = "https://pay.example.cn/"
        appid = "gpu10000000"
        secret_env = "SHROFF_AGGREGATOR_SECRET"
        notify_url = "https://noodles.example.cn/notify/aggregator"
        return_url = "https://noodles.example.cn/"
        """

    func load(_ text: String) throws -> ShroffConfiguration {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", text)
        return try ConfigLoader.load(explicitPath: path, environment: ["HOME": fixture.home, "SHROFF_AGGREGATOR_SECRET": Self.secret])
    }

    func error(_ text: String) -> ConfigError? {
        do {
            _ = try load(text)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return nil
        }
    }

    func replacing(_ target: String, with replacement: String) -> String {
        #expect(Self.config.contains(target))
        return Self.config.replacingOccurrences(of: target, with: replacement)
    }

    @Test func aCompleteTableLoadsWithTheSeedsBankCodes() throws {
        let settings = try #require(try load(Self.config).aggregator)
        #expect(settings.baseURL == "https://pay.example.cn")
        #expect(settings.appID == "gpu10000000")
        #expect(settings.secret.reveal() == Self.secret)
        #expect(settings.bankCodeAlipay == "911")
        #expect(settings.bankCodeWeChat == "912")
        #expect(!settings.allowPlainHTTP)
        #expect(settings.warnings.isEmpty)
        let shown = settings.summary.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\(settings)"
        #expect(!shown.contains(Self.secret))
        #expect(shown.contains("set (from env SHROFF_AGGREGATOR_SECRET)"))
    }

    @Test func plainHTTPToAnotherHostIsRefusedUnlessAllowedAndThenWarnedAbout() throws {
        let plain = replacing("https://pay.example.cn/", with: "http://pay.example.cn")
        let refused = try #require(error(plain))
        #expect(refused.description.contains("providers.aggregator.base_url"))
        #expect(refused.description.contains("allow_plain_http = true"))

        let allowed = try load(plain + "\nallow_plain_http = true\n")
        #expect(allowed.aggregator?.baseURL == "http://pay.example.cn")
        #expect(allowed.warnings.count == 1)
        #expect(allowed.warnings.first?.contains("can be read and forged on the way") == true)
        #expect(allowed.warnings.first?.contains(Self.secret) == false)
    }

    @Test func plainHTTPToThisMachineIsTheSandbox() throws {
        let local = try load(replacing("https://pay.example.cn/", with: "http://127.0.0.1:8765/aggregator"))
        #expect(local.aggregator?.baseURL == "http://127.0.0.1:8765/aggregator")
        #expect(local.warnings.isEmpty)
    }

    @Test func typosNameTheKeyAndTheFix() throws {
        let bankCode = try #require(error(Self.config + "\nbank_code_wechat = \"91two\"\n"))
        #expect(bankCode.description.contains("providers.aggregator.bank_code_wechat"))
        #expect(bankCode.description.contains("\"912\""))

        let misspelt = try #require(error(replacing("appid =", with: "app_id =")))
        #expect(misspelt.description.contains("did you mean appid?"), "\(misspelt)")

        let noReturn = try #require(error(replacing("return_url = \"https://noodles.example.cn/\"", with: "")))
        #expect(noReturn.description.contains("providers.aggregator.return_url is required"), "\(noReturn)")
    }

    @Test func theStoreMustChargeInYuan() throws {
        let hkd = try #require(error(replacing("currency = \"CNY\"", with: "currency = \"HKD\"")))
        #expect(hkd.description.contains("store.currency is HKD"))
        #expect(hkd.description.contains("set currency = \"CNY\" in [store]"))
    }
}
