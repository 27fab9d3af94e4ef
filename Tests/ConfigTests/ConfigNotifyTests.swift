import Config
import Foundation
import Testing

@Suite("Configuration: [notify]")
struct ConfigNotifyTests {
    static func config(_ notify: String) -> String {
        """
        [store]
        name = "Lucky Tea House"
        currency = "HKD"
        timezone = "Asia/Hong_Kong"
        ledger = "~/shop/ledger.sqlite"

        [checkout]
        provider = "cloudpay"

        [providers.cloudpay]
        base_url = "https://pay.example.com/"
        appkey = "a3c65c2974270fd093ee8a9bf8ae7d0b"
        appsecret_env = "SHROFF_CLOUDPAY_APPSECRET"

        [notify]
        \(notify)
        """
    }

    func load(_ text: String) throws -> ShroffConfiguration {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", text)
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment.merging(["SHROFF_CLOUDPAY_APPSECRET": "cp_secret_9Xq2Lm7Vt4"]) { $1 })
    }

    func refusal(_ text: String) -> ConfigError? {
        do {
            _ = try load(text)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    @Test func metricsHaveAnAddressOfTheirOwnAndAreOffWithoutOne() throws {
        let on = try load(Self.config("listen = \"0.0.0.0:8787\"\nmetrics = \"10.0.0.5:9464\""))
        #expect(on.notify.metrics == NotifySettings.Address(host: "10.0.0.5", port: 9464))
        let off = try load(Self.config("listen = \"127.0.0.1:8787\""))
        #expect(off.notify.metrics == nil)
    }

    @Test(arguments: [
        ("metrics = \"9464\"", "metrics = \"127.0.0.1:9464\""),
        ("metrics = \"localhost:port\"", "metrics = \"127.0.0.1:9464\""),
        ("listen = \"127.0.0.1:8787\"\nmetrics = \"127.0.0.1:8787\"", "a port of its own"),
    ])
    func aMetricsAddressThatCannotServeIsRefusedWithWhatToWrite(line: String, advice: String) {
        let error = refusal(Self.config(line))
        #expect(error?.key == "notify.metrics", "\(String(describing: error))")
        #expect(error?.description.contains(advice) == true, "\(String(describing: error))")
    }
}
