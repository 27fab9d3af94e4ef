import CheckoutCore
import Config
import Foundation
import Testing

@Suite("Configuration: reading and validating a file")
struct ConfigLoaderTests {
    /// Writes `text` as the configuration and loads it through `--config`.
    func load(_ text: String, in fixture: ConfigFixture, environment: [String: String]? = nil) throws(ConfigError) -> ShroffConfiguration {
        let path: String
        do { path = try fixture.write("etc/shroff.toml", text) } catch { fatalError("cannot write fixture: \(error)") }
        return try ConfigLoader.load(explicitPath: path, environment: environment ?? fixture.environment)
    }

    func loadError(_ text: String, in fixture: ConfigFixture, environment: [String: String]? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
        do {
            _ = try load(text, in: fixture, environment: environment)
            Issue.record("expected the configuration to be refused", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEveryValueOfAFullConfiguration() throws {
        let fixture = try ConfigFixture()
        let config = try load(ConfigFixture.validConfig, in: fixture)

        #expect(config.source == .file(fixture.root + "/etc/shroff.toml"))
        #expect(!config.isTraining)
        #expect(config.store.name == "Lucky Tea House")
        #expect(config.store.currency == .hkd)
        #expect(config.store.timeZone.identifier == "Asia/Hong_Kong")
        #expect(config.store.ledgerPath == fixture.home + "/shop/ledger.sqlite")
        #expect(config.checkout == CheckoutSettings(provider: "wantu", pollInterval: .seconds(3), payTimeout: .seconds(40),
                                                   qrTimeout: .seconds(120), requestTimeout: .seconds(10)))
        let wantu = try #require(config.wantu)
        #expect(wantu.baseURL == WantuSettings.sandboxBaseURL)
        #expect(wantu.merchantAccount == "M-10001")
        #expect(wantu.storeAccount == "S-20002")
        #expect(wantu.key.reveal() == ConfigFixture.secretKey)
        #expect(wantu.keySource == .environment("SHROFF_WANTU_KEY"))
        #expect(wantu.notifyURL == "https://tea.example.com/wantu/notify")
        #expect(wantu.deviceSN == "POS-7")
    }

    @Test func fillsInDefaultsForLeftOutKeys() throws {
        let fixture = try ConfigFixture()
        let text = """
            [store]
            name = "Corner"
            currency = "cny"
            timezone = "Asia/Shanghai"
            [providers.wantu]
            merchant_account = "M"
            store_account = "S"
            key_env = "SHROFF_WANTU_KEY"
            notify_url = "https://corner.example.com/n"
            """
        var environment = fixture.environment
        environment["XDG_DATA_HOME"] = fixture.root + "/data"
        let config = try load(text, in: fixture, environment: environment)

        #expect(config.store.currency == .cny)
        #expect(config.checkout == CheckoutSettings.defaults)
        #expect(config.checkout.pollInterval == .seconds(5))
        #expect(config.checkout.payTimeout == .seconds(45))
        #expect(config.checkout.qrTimeout == .seconds(180))
        #expect(config.checkout.requestTimeout == .seconds(15))
        #expect(config.wantu?.baseURL == "https://merchants-api.wantu.cn/paygate")
        #expect(config.wantu?.deviceSN == nil)
        #expect(config.store.ledgerPath == fixture.root + "/data/shroff/ledger.sqlite")
    }

    @Test func defaultLedgerFallsBackToHomeAndIsNeverTheTrainingLedger() throws {
        let fixture = try ConfigFixture()
        let config = try load(ConfigFixture.config(replacing: "ledger = \"~/shop/ledger.sqlite\"", with: ""), in: fixture)
        #expect(config.store.ledgerPath == fixture.home + "/.local/share/shroff/ledger.sqlite")

        let error = loadError(ConfigFixture.config(replacing: "~/shop/ledger.sqlite", with: "~/.local/share/shroff/training-ledger.sqlite"), in: fixture)
        #expect(error?.kind == .invalidValue)
        #expect(error?.key == "store.ledger")
        #expect(error?.description.contains("training ledger") == true)
    }

    @Test func relativeLedgerIsTakenFromTheConfigurationDirectory() throws {
        let fixture = try ConfigFixture()
        let config = try load(ConfigFixture.config(replacing: "~/shop/ledger.sqlite", with: "data/../ledger.sqlite"), in: fixture)
        #expect(config.store.ledgerPath == fixture.root + "/etc/ledger.sqlite")
    }

    struct Missing: Sendable, CustomTestStringConvertible {
        let line: String
        let key: String
        let advice: String
        var testDescription: String { key }
    }

    @Test(arguments: [
        Missing(line: "name = \"Lucky Tea House\"", key: "store.name", advice: "add name = "),
        Missing(line: "currency = \"HKD\"", key: "store.currency", advice: "add currency = \"HKD\" under [store]"),
        Missing(line: "timezone = \"Asia/Hong_Kong\"", key: "store.timezone", advice: "add timezone = \"Asia/Hong_Kong\""),
        Missing(line: "merchant_account = \"M-10001\"", key: "providers.wantu.merchant_account", advice: "add merchant_account = "),
        Missing(line: "store_account = \"S-20002\"", key: "providers.wantu.store_account", advice: "add store_account = "),
        Missing(line: "notify_url = \"https://tea.example.com/wantu/notify\"", key: "providers.wantu.notify_url", advice: "add notify_url = "),
        Missing(line: "key_env = \"SHROFF_WANTU_KEY\"", key: "providers.wantu.key", advice: "set exactly one of key_env"),
    ])
    func namesAMissingKeyAndHowToAddIt(_ missing: Missing) throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: missing.line, with: "")
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .missingKey)
        #expect(error.key == missing.key)
        #expect(error.description.contains(fixture.root + "/etc/shroff.toml"))
        #expect(error.description.contains(missing.key) || error.description.contains("[providers.wantu] has no gateway key"))
        #expect(error.description.contains(missing.advice), "\(error)")
    }

    @Test func aMissingProviderTableIsNamed() throws {
        let fixture = try ConfigFixture()
        let text = """
            [store]
            name = "Lucky"
            currency = "HKD"
            timezone = "Asia/Hong_Kong"
            """
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .missingKey)
        #expect(error.description.contains("no [providers.wantu] table"))
    }

    @Test func twoKeySourcesAreRefused() throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: "key_env = \"SHROFF_WANTU_KEY\"",
                                        with: "key_env = \"SHROFF_WANTU_KEY\"\nkey_file = \"wantu.key\"")
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .missingKey)
        #expect(error.description.contains("sets both key_env and key_file"))
        #expect(error.line == ConfigFixture.line(of: "key_file", in: text))
    }

    struct Typo: Sendable, CustomTestStringConvertible {
        let correct: String
        let typo: String
        let key: String
        let hint: String
        var testDescription: String { typo }
    }

    @Test(arguments: [
        Typo(correct: "poll_interval_s = 3", typo: "pol_interval_s = 3", key: "checkout.pol_interval_s", hint: "did you mean poll_interval_s?"),
        Typo(correct: "currency = \"HKD\"", typo: "curency = \"HKD\"", key: "store.curency", hint: "did you mean currency?"),
        Typo(correct: "timezone = ", typo: "time_zone = ", key: "store.time_zone", hint: "did you mean timezone?"),
        Typo(correct: "base_url = ", typo: "baseurl = ", key: "providers.wantu.baseurl", hint: "did you mean base_url?"),
        Typo(correct: "merchant_account", typo: "merchant_acount", key: "providers.wantu.merchant_acount", hint: "did you mean merchant_account?"),
        Typo(correct: "[store]", typo: "[stroe]", key: "stroe", hint: "did you mean [store]?"),
        Typo(correct: "[providers.wantu]", typo: "[providers.wantuu]", key: "providers.wantuu", hint: "did you mean [providers.wantu]?"),
    ])
    func suggestsTheNearestKnownKeyForATypo(_ typo: Typo) throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: typo.correct, with: typo.typo)
        let error = try #require(loadError(text, in: fixture))
        let path = fixture.root + "/etc/shroff.toml"
        #expect(error.kind == .unknownKey)
        #expect(error.key == typo.key)
        #expect(error.file == path)
        #expect(error.line == ConfigFixture.line(of: typo.typo, in: text))
        #expect(error.description.hasPrefix("\(path):\(error.line ?? 0): unknown"), "\(error)")
        #expect(error.description.contains(typo.key))
        #expect(error.description.hasSuffix(typo.hint), "\(error)")
    }

    @Test func aKeyInTheWrongTableSaysWhereItBelongs() throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: "ledger = \"~/shop/ledger.sqlite\"", with: "pay_timeout_s = 30")
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .unknownKey)
        #expect(error.description.contains("unknown key store.pay_timeout_s: pay_timeout_s belongs in [checkout]"), "\(error)")
    }

    @Test func anUnrelatedUnknownKeyListsTheKnownOnes() throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: "qr_timeout_s = 120", with: "colour = \"red\"")
        let error = try #require(loadError(text, in: fixture))
        #expect(error.description.contains("unknown key checkout.colour: [checkout] accepts provider, poll_interval_s"), "\(error)")
    }

    @Test func anUnsupportedProviderTableSaysWhichAreSupported() throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.validConfig + "\n[providers.acmepay]\nmerchant = \"x\"\n"
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .unknownKey)
        #expect(error.key == "providers.acmepay")
        #expect(error.description.contains("supported providers are wantu, paymax"), "\(error)")
    }

    struct WrongType: Sendable, CustomTestStringConvertible {
        let correct: String
        let wrong: String
        let key: String
        let found: String
        let expected: String
        var testDescription: String { wrong }
    }

    @Test(arguments: [
        WrongType(correct: "pay_timeout_s = 40", wrong: "pay_timeout_s = \"40\"", key: "checkout.pay_timeout_s", found: "a string", expected: "a number of seconds"),
        WrongType(correct: "name = \"Lucky Tea House\"", wrong: "name = 12", key: "store.name", found: "an integer", expected: "a string"),
        WrongType(correct: "key_env = \"SHROFF_WANTU_KEY\"", wrong: "key_env = true", key: "providers.wantu.key_env", found: "a boolean", expected: "a string"),
        WrongType(correct: "device_sn = \"POS-7\"", wrong: "device_sn = [\"POS-7\"]", key: "providers.wantu.device_sn", found: "an array", expected: "a string"),
        WrongType(correct: "currency = \"HKD\"", wrong: "currency = { code = \"HKD\" }", key: "store.currency", found: "a table", expected: "a string"),
    ])
    func namesKeyFoundTypeAndExpectedType(_ example: WrongType) throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: example.correct, with: example.wrong)
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .wrongType)
        #expect(error.key == example.key)
        #expect(error.line == ConfigFixture.line(of: example.wrong, in: text))
        #expect(error.description.contains("\(example.key) must be \(example.expected)"), "\(error)")
        #expect(error.description.contains("the file gives \(example.found)"), "\(error)")
    }

    @Test func aTableGivenAsAValueIsAWrongType() throws {
        let fixture = try ConfigFixture()
        let section = "[checkout]\nprovider = \"wantu\"\npoll_interval_s = 3\npay_timeout_s = 40\nqr_timeout_s = 120\nrequest_timeout_s = 10\n"
        let text = "checkout = 5\n" + ConfigFixture.config(replacing: section, with: "")
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .wrongType)
        #expect(error.line == 1)
        #expect(error.description.contains("checkout must be a table (a [checkout] section), but the file gives an integer"), "\(error)")
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        let correct: String
        let bad: String
        let key: String
        let explanation: String
        var testDescription: String { bad }
    }

    @Test(arguments: [
        BadValue(correct: "currency = \"HKD\"", bad: "currency = \"XYZ\"", key: "store.currency", explanation: "\"XYZ\" is not a currency Shroff knows: use an ISO 4217 code"),
        BadValue(correct: "timezone = \"Asia/Hong_Kong\"", bad: "timezone = \"Mars/Olympus\"", key: "store.timezone", explanation: "\"Mars/Olympus\" is not a time zone"),
        BadValue(correct: "provider = \"wantu\"", bad: "provider = \"acmepay\"", key: "checkout.provider", explanation: "\"acmepay\" is not supported: supported providers are wantu, paymax"),
        BadValue(correct: "https://sandbox-merchants.wantu.cn/paygate", bad: "http://sandbox-merchants.wantu.cn/paygate", key: "providers.wantu.base_url", explanation: "http is allowed only for 127.0.0.1, localhost or [::1]"),
        BadValue(correct: "https://sandbox-merchants.wantu.cn/paygate", bad: "ftp://sandbox-merchants.wantu.cn/paygate", key: "providers.wantu.base_url", explanation: "is not an http or https URL"),
        BadValue(correct: "https://sandbox-merchants.wantu.cn/paygate", bad: "sandbox-merchants.wantu.cn", key: "providers.wantu.base_url", explanation: "is not an http or https URL"),
        BadValue(correct: "https://sandbox-merchants.wantu.cn/paygate", bad: "https://till:hunter2@sandbox-merchants.wantu.cn/paygate", key: "providers.wantu.base_url", explanation: "must not contain a user name or password"),
        BadValue(correct: "https://tea.example.com/wantu/notify", bad: "/wantu/notify", key: "providers.wantu.notify_url", explanation: "is not an http or https URL"),
        BadValue(correct: "pay_timeout_s = 40", bad: "pay_timeout_s = 90", key: "checkout.pay_timeout_s", explanation: "WeChat Pay revokes an unpaid quick-pay order after about 45 s"),
        BadValue(correct: "pay_timeout_s = 40", bad: "pay_timeout_s = 60.5", key: "checkout.pay_timeout_s", explanation: "is 60.5 s, above the limit of 60 s"),
        BadValue(correct: "poll_interval_s = 3", bad: "poll_interval_s = 0.5", key: "checkout.poll_interval_s", explanation: "below the minimum of 1 s"),
        BadValue(correct: "poll_interval_s = 3", bad: "poll_interval_s = 40", key: "checkout.poll_interval_s", explanation: "must be shorter than checkout.pay_timeout_s (40 s)"),
        BadValue(correct: "qr_timeout_s = 120", bad: "qr_timeout_s = 0", key: "checkout.qr_timeout_s", explanation: "above 0"),
        BadValue(correct: "request_timeout_s = 10", bad: "request_timeout_s = -3", key: "checkout.request_timeout_s", explanation: "above 0"),
        BadValue(correct: "name = \"Lucky Tea House\"", bad: "name = \"  \"", key: "store.name", explanation: "store.name is empty"),
    ])
    func refusesAnUnacceptableValueAndSaysWhy(_ example: BadValue) throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: example.correct, with: example.bad)
        let error = try #require(loadError(text, in: fixture))
        #expect(error.kind == .invalidValue)
        #expect(error.key == example.key)
        #expect(error.line == ConfigFixture.line(of: example.bad, in: text))
        #expect(error.description.contains(example.explanation), "\(error)")
    }

    @Test(arguments: ["http://127.0.0.1:8080/paygate/", "http://localhost:9000/paygate", "http://[::1]:8080/paygate", "HTTPS://gateway.example.com/pay/"])
    func acceptsHttpsAndLoopbackHttp(_ url: String) throws {
        let fixture = try ConfigFixture()
        let config = try load(ConfigFixture.config(replacing: WantuSettings.sandboxBaseURL, with: url), in: fixture)
        var expected = url
        while expected.hasSuffix("/") { expected.removeLast() }
        #expect(config.wantu?.baseURL == expected)
    }

    @Test func aSyntaxErrorKeepsItsLineAndColumn() throws {
        let fixture = try ConfigFixture()
        let text = ConfigFixture.config(replacing: "qr_timeout_s = 120", with: "qr_timeout_s 120")
        let error = try #require(loadError(text, in: fixture))
        let line = try #require(ConfigFixture.line(of: "qr_timeout_s", in: text))
        #expect(error.kind == .syntax)
        #expect(error.description == "\(fixture.root)/etc/shroff.toml:\(line):14: expected '=' after key")
    }

    @Test func summaryDescribesTheSettingsWithoutTheKey() throws {
        let fixture = try ConfigFixture()
        let config = try load(ConfigFixture.validConfig, in: fixture)
        let rows = Dictionary(config.summary(), uniquingKeysWith: { first, _ in first })
        #expect(rows["Mode"] == "live")
        #expect(rows["Provider"] == "wantu")
        #expect(rows["Base URL"] == WantuSettings.sandboxBaseURL)
        #expect(rows["Merchant account"] == "M-10001")
        #expect(rows["Store account"] == "S-20002")
        #expect(rows["Key"] == "set (from env SHROFF_WANTU_KEY)")
        #expect(rows["Poll interval"] == "3 s")
        #expect(rows["Pay timeout"] == "40 s")
        #expect(rows["QR timeout"] == "120 s")
        #expect(rows["Request timeout"] == "10 s")
        #expect(rows["Ledger"] == fixture.home + "/shop/ledger.sqlite")
        #expect(!config.summary().contains { $0.0.contains(ConfigFixture.secretKey) || $0.1.contains(ConfigFixture.secretKey) })
    }
}
