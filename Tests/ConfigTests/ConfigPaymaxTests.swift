import CheckoutCore
@testable import Config
import Foundation
@testable import PaymaxGateway
import Signing
import Testing

/// `[providers.paymax]`: keys checked as the configuration loads, CNY only, channels the till can draw.
@Suite struct ConfigPaymaxTests {
    static let secret = "sk_live_paymax_Zq81mT4kW0"

    /// A CNY store on Paymax, its keys beside the configuration.
    static func config(currency: String = "CNY", extra: String = "") -> String {
        """
        [store]
        name = "Shanghai Noodles"
        currency = "\(currency)"
        timezone = "Asia/Shanghai"
        ledger = "ledger.sqlite"

        [checkout]
        provider = "paymax"

        [providers.paymax]
        base_url = "http://127.0.0.1:8765/merchant-api"
        app_key = "app_7hqF2S6GYXET457i"
        secret_key_env = "SHROFF_PAYMAX_SECRET"
        merchant_private_key_file = "merchant.pem"
        paymax_public_key_file = "paymax.pem"
        return_url = "https://shop.example/paid"
        \(extra)
        """
    }

    let fixture: ConfigFixture
    let merchantFile: String
    let paymaxFile: String
    var environment: [String: String] { ["HOME": fixture.home, "SHROFF_PAYMAX_SECRET": Self.secret] }

    /// A merchant private key and a Paymax public key, made once for every test.
    static let pems = Result { () throws -> (merchant: String, paymax: String) in
        (try RSAPrivateKey.generate(bits: 1024).pkcs8PEM(), try RSAPrivateKey.generate(bits: 1024).publicKeyPEM())
    }

    init() throws {
        fixture = try ConfigFixture()
        let pems = try Self.pems.get()
        merchantFile = try fixture.write("etc/merchant.pem", pems.merchant, mode: 0o600)
        paymaxFile = try fixture.write("etc/paymax.pem", pems.paymax, mode: 0o644)
    }

    func load(_ text: String) throws -> ShroffConfiguration {
        try ConfigLoader.load(explicitPath: try fixture.write("etc/shroff.toml", text, mode: 0o600), environment: environment)
    }

    func refusal(_ text: String) -> ConfigError? {
        do { _ = try load(text); return nil } catch { return error as? ConfigError }
    }

    @Test func aCNYStoreWithItsKeysLoadsWithDefaults() throws {
        let paymax = try #require(try load(Self.config()).paymax)
        #expect(paymax.channels == ["alipay_web"] && paymax.timeExpire == .seconds(180))
        #expect(paymax.secretKey.reveal() == Self.secret && paymax.merchantKeyFile == merchantFile)
        let summary = paymax.summary.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        #expect(!summary.contains(Self.secret) && summary.contains("SHROFF_PAYMAX_SECRET"))
    }

    @Test func aStoreInAnotherCurrencyIsRefusedAtStartNotAtTheFirstSale() throws {
        let error = try #require(refusal(Self.config(currency: "HKD")))
        #expect(error.key == "store.currency")
        #expect(error.description.contains("takes CNY only") && error.description.contains("shroff.toml"))
    }

    @Test func aPrivateKeyFileOthersCanReadIsRefusedWithTheFix() throws {
        try fixture.chmod(merchantFile, 0o644)
        let error = try #require(refusal(Self.config()))
        #expect(error.kind == .insecurePermissions && error.description.contains("chmod 600 \(merchantFile)"))
    }

    @Test func aPublicKeyFileOthersCanChangeIsRefusedWithTheFix() throws {
        for mode in [0o664, 0o646] {
            try fixture.chmod(paymaxFile, mode)
            let error = try #require(refusal(Self.config()), "mode \(String(mode, radix: 8))")
            #expect(error.kind == .insecurePermissions && error.file == paymaxFile)
            #expect(error.key == "providers.paymax.paymax_public_key_file")
            #expect(error.description.contains("can be changed by other users") && error.description.contains("chmod go-w \(paymaxFile)"))
        }
        // Readable by all is what a public key may be.
        try fixture.chmod(paymaxFile, 0o644)
        _ = try load(Self.config())
    }

    @Test func thePublishedTrainingCredentialsAgainstPaymaxItselfAreRefused() throws {
        let remote = Self.config().replacingOccurrences(of: "http://127.0.0.1:8765/merchant-api", with: PaymaxSettings.productionBaseURL)
        _ = try load(remote)
        func publishing(_ text: String) -> String {
            text.replacingOccurrences(of: "secret_key_env = \"SHROFF_PAYMAX_SECRET\"",
                                      with: "secret_key = \"\(TrainingCredentials.paymaxSecretKey)\"")
        }
        let secret = try #require(refusal(publishing(remote)))
        #expect(secret.key == "providers.paymax.secret_key" && secret.description.contains("published training secret key"))
        #expect(!secret.description.contains(TrainingCredentials.paymaxSecretKey))
        let appKey = try #require(refusal(remote.replacingOccurrences(of: "app_7hqF2S6GYXET457i", with: TrainingCredentials.paymaxAppKey)))
        #expect(appKey.key == "providers.paymax.app_key" && appKey.description.contains("put the app_key Paymax issued you"))
        // Against the sandbox on this machine, as `shroff sandbox` prints them.
        _ = try load(publishing(Self.config()).replacingOccurrences(of: "app_7hqF2S6GYXET457i", with: TrainingCredentials.paymaxAppKey))
    }

    @Test func aPrivateKeyThatDoesNotLoadIsNamedWithItsFile() throws {
        try fixture.write("etc/merchant.pem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", mode: 0o600)
        let error = try #require(refusal(Self.config()))
        #expect(error.file == merchantFile && error.key == "providers.paymax.merchant_private_key_file")
        #expect(error.description.contains("is not a usable RSA private key"))
    }

    @Test func aPublicKeyThatIsNotRSAIsRefused() throws {
        try fixture.write("etc/paymax.pem", """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYPgjRUcdrW0Sm7NodbFBehecK1A6
            8goPmcueUGdOZU4uKv/1HQ0A4H0DL3rFocVGNlOi8kD7sS7Cee2b7YbyyA==
            -----END PUBLIC KEY-----
            """, mode: 0o644)
        let error = try #require(refusal(Self.config()))
        #expect(error.file == paymaxFile && error.description.contains("not Paymax's RSA public key"))
    }

    @Test func wechatCSBAndTheLakalaChannelsAreOfferedWithTheirExtraFields() throws {
        let paymax = try #require(try load(Self.config(extra: """
            channels = ["wechat_csb", "lakala_web_fast"]
            open_id = "o8Bq-0abcdef"
            user_id = "100001"
            """) + "\n[notify]\npublic_url = \"https://pay.shop.example\"\n").paymax)
        #expect(paymax.channels == ["wechat_csb", "lakala_web_fast"])
        #expect(paymax.extra == ["open_id": "o8Bq-0abcdef", "user_id": "100001"])
        // `shroff info` says which key takes which channel.
        let channels = paymax.summary.first { $0.0 == "Channels" }?.1
        #expect(channels == "wechat_csb (w key), lakala_web_fast (a key)")
    }

    @Test func twoChannelsForOneKeyAUserIDNotInDigitsAndATypoAreRefusedWithTheFix() throws {
        let both = try #require(refusal(Self.config(extra: #"channels = ["alipay_web", "lakala_web"]"#)))
        #expect(both.key == "providers.paymax.channels" && both.description.contains("both alipay_web and lakala_web")
                && both.description.contains("a key"), "\(both.description)")
        let typo = try #require(refusal(Self.config(extra: #"channels = ["wechat_cbs"]"#)))
        #expect(typo.description.contains("wechat_csb") && typo.description.contains("alipay_web"))
        // A lakala form can reach a phone only through the pay link.
        let noLink = try #require(refusal(Self.config(extra: #"channels = ["lakala_web"]"#)))
        #expect(noLink.key == "providers.paymax.channels" && noLink.description.contains("[notify] public_url"), "\(noLink.description)")
        let user = try #require(refusal(Self.config(extra: #"user_id = "u-100""#)))
        #expect(user.key == "providers.paymax.user_id" && user.description.contains("digits only"))
    }

    @Test func plainHTTPToAnotherHostAndAMissingReturnURLAreRefused() throws {
        let remote = Self.config().replacingOccurrences(of: "http://127.0.0.1:8765", with: "http://paymax.example")
        #expect(refusal(remote)?.key == "providers.paymax.base_url")
        let noReturn = Self.config().replacingOccurrences(of: "return_url = \"https://shop.example/paid\"", with: "")
        let error = try #require(refusal(noReturn))
        #expect(error.key == "providers.paymax.return_url" && error.description.contains("[notify] public_url"))
    }

    @Test func withoutAReturnURLTheNotifyServersThankYouPageIsUsed() throws {
        let text = Self.config().replacingOccurrences(of: "return_url = \"https://shop.example/paid\"", with: "")
            + "\n[notify]\npublic_url = \"https://till.shop.example/\"\n"
        let configuration = try load(text)
        #expect(configuration.notify.publicURL == "https://till.shop.example")
        #expect(configuration.paymax?.returnURL == "https://till.shop.example/paid")
    }

    @Test func aChargeThatOutlivesTheTillsWaitIsRefusedWithTheFix() throws {
        // Given the till gives a QR order 120 s, and Paymax is told to keep the charge payable for 180
        let text = Self.config(extra: "time_expire_s = 180").replacingOccurrences(of: "provider = \"paymax\"",
                                                                                   with: "provider = \"paymax\"\nqr_timeout_s = 120")
        let error = try #require(refusal(text))
        // Then the configuration is refused at load, naming the key, both values and both fixes
        #expect(error.key == "providers.paymax.time_expire_s" && error.kind == .invalidValue)
        for words in ["180 s", "qr_timeout_s (120 s)", "time_expire_s = 120 or less", "raise qr_timeout_s", "shroff.toml"] {
            #expect(error.description.contains(words), "\(words) missing from: \(error.description)")
        }
        // Equal is allowed, and an unset time_expire_s follows qr_timeout_s
        let equal = Self.config(extra: "time_expire_s = 120").replacingOccurrences(of: "provider = \"paymax\"",
                                                                                   with: "provider = \"paymax\"\nqr_timeout_s = 120")
        #expect(try load(equal).paymax?.timeExpire == .seconds(120))
        let unset = Self.config().replacingOccurrences(of: "provider = \"paymax\"", with: "provider = \"paymax\"\nqr_timeout_s = 90")
        #expect(try load(unset).paymax?.timeExpire == .seconds(90))
    }

    /// Config cannot import the gateway, so each keeps its table of Paymax's channels: they
    /// must name the same channels, keys, forms and `extra` fields, or a setting would be
    /// accepted that the gateway cannot send (or refused when it can).
    @Test func theChannelsConfigAcceptsAreTheOnesTheGatewayOffers() {
        let configured = Dictionary(uniqueKeysWithValues: PaymaxSettings.channelWallets.map { ($0.channel, $0.wallet) })
        #expect(configured == PaymaxChannel.supported)
        #expect(PaymaxSettings.formChannels == PaymaxChannel.formChannels)
        #expect(PaymaxSettings.extraKeys.sorted() == PaymaxChannel.settableFields)
    }
}
