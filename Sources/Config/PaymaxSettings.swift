import CheckoutCore
import Foundation
public import Signing

/// How to reach Paymax and sign requests to it, from `[providers.paymax]`.
///
/// Promises: `baseURL` is https, or http to a loopback host only; both key files loaded as RSA
/// keys, the merchant key passed its own signature self-test, the private key file is
/// readable by its owner alone and the public key file writable by its owner alone;
/// `channels` are ones the till can offer, at most one per key; `timeExpire` is at most
/// `[checkout] qr_timeout_s`; a form channel only with `[notify] public_url`; `user_id` is digits. The secret key never appears in a description.
public struct PaymaxSettings: Sendable {
    public static let productionBaseURL = "https://www.paymax.cc/merchant-api"
    /// The channels a till can offer, and the wallet key each is offered under (`w`, `a`):
    /// `wechat_csb`'s code is drawn as it is; `alipay_web`'s URL, or through a short pay link
    /// when it does not fit; the lakala channels' HTML forms only through a pay link.
    public static let channelWallets: [(channel: String, wallet: Wallet)] = [
        ("wechat_csb", .wechat), ("alipay_web", .alipay), ("lakala_web", .alipay), ("lakala_web_fast", .alipay),
    ]
    /// Channels whose credential is an HTML form: offered only with `[notify] public_url`.
    static let formChannels: Set<String> = ["lakala_web", "lakala_web_fast"]
    /// The `extra` fields a shop may set here (wechat_csb's `open_id`, the lakala channels'
    /// `user_id`): sent to the channels that take them.
    static let extraKeys = ["open_id", "user_id"]

    public var baseURL: String
    public var appKey: String
    /// The merchant secret key (`Authorization`). Printing it shows `<redacted>`.
    public var secretKey: Secret
    public var secretKeySource: KeySource
    public var merchantKey: RSAPrivateKey
    public var merchantKeyFile: String
    public var paymaxKey: RSAPublicKey
    public var paymaxKeyFile: String
    public var channels: [String]
    public var timeExpire: Duration
    public var returnURL: String
    /// The channels' `extra` fields the shop set (`open_id`, `user_id`), by Paymax's name.
    public var extra: [String: String]
    /// Paymax's mode of the account (`livemode`, default true): a charge of the other mode never
    /// settles an order. The sandbox is Paymax's test mode: false.
    public var livemode: Bool
}

extension PaymaxSettings: ProviderTableReading {
    public static let providerName = "paymax"
    static let keys = ["base_url", "app_key", "secret_key", "secret_key_env", "secret_key_file", "merchant_private_key_file",
                       "paymax_public_key_file", "channels", "time_expire_s", "return_url", "livemode", "open_id", "user_id"]
    static let requiredHint = "app_key, secret_key_env (or secret_key_file, or secret_key), merchant_private_key_file and paymax_public_key_file (and return_url unless [notify] public_url is set)"
    static var onlyCurrency: Currency? { .cny }

    public var summary: [(String, String)] {
        [("Base URL", baseURL), ("App key", appKey), ("Secret key", secretKeySource.description),
         ("Merchant private key", "set (from file \(merchantKeyFile))"), ("Paymax public key", paymaxKeyFile),
         ("Channels", channels.map { "\($0) (\(PaymaxSettings.key(for: $0)) key)" }.joined(separator: ", ")), ("QR expires after", "\(timeExpire.components.seconds) s"),
         ("Return URL", returnURL)] + extra.keys.sorted().map { ($0, extra[$0] ?? "") } + [("Mode", livemode ? "live (livemode = true)" : "test (livemode = false)")]
    }

    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(PaymaxSettings.keys, homes: ConfigSchema.homes)
        let baseURL = try table.gatewayBaseURL("base_url", default: PaymaxSettings.productionBaseURL,
                                               sandbox: "http://127.0.0.1:8765/merchant-api (shroff sandbox)")
        let appKey = try table.requiredString("app_key", example: "\"app_…\" (from Paymax's back office)")
        let (secret, source) = try table.secret("secret_key", context: context)

        let merchantFile = try table.keyFile("merchant_private_key_file", context: context)
        let merchantPEM = try table.readSecretFile(merchantFile, key: "merchant_private_key_file")
        let merchantKey: RSAPrivateKey
        do { merchantKey = try RSAPrivateKey(pem: merchantPEM.reveal()) } catch {
            throw ConfigError(.invalidValue, file: merchantFile, key: table.fullKey("merchant_private_key_file"),
                              "\(merchantFile) (\(table.fullKey("merchant_private_key_file")) in \(context.file)) is not a usable RSA private key: \(error)")
        }
        guard merchantKey.passesSelfTest() else {
            throw ConfigError(.invalidValue, file: merchantFile, key: table.fullKey("merchant_private_key_file"),
                              "the key in \(merchantFile) cannot verify its own test signature: replace it with the merchant private key registered at Paymax")
        }

        let paymaxFile = try table.keyFile("paymax_public_key_file", context: context)
        try table.refuseWritableByOthers(paymaxFile, key: "paymax_public_key_file")
        guard let paymaxPEM = try? String(contentsOfFile: paymaxFile, encoding: .utf8) else {
            throw table.error(.unreadable, key: "paymax_public_key_file",
                              "\(table.fullKey("paymax_public_key_file")) names \(paymaxFile), which cannot be read as text: save Paymax's public key (back office, 开发信息) there as PEM")
        }
        let paymaxKey: RSAPublicKey
        do { paymaxKey = try RSAPublicKey(pem: paymaxPEM) } catch {
            throw ConfigError(.invalidValue, file: paymaxFile, key: table.fullKey("paymax_public_key_file"),
                              "\(paymaxFile) (\(table.fullKey("paymax_public_key_file")) in \(context.file)) is not Paymax's RSA public key: \(error)")
        }

        let channels = try table.channels(context: context)
        // A form reaches a customer's phone only through the notify server's pay link.
        if let form = channels.first(where: PaymaxSettings.formChannels.contains), context.notify.publicURL == nil {
            throw table.error(.invalidValue, key: "channels",
                              "\(table.fullKey("channels")) names \(form), whose payment page (an HTML form) the till can show only as a short pay link served by shroff notify-server: set [notify] public_url = \"https://YOUR-HOST\" (its address as customers' phones reach it), or offer alipay_web instead")
        }
        // A charge payable after the till gave up on it would be paid with nobody watching.
        let timeExpire = try table.seconds("time_expire_s", default: context.qrTimeout)
        guard timeExpire <= context.qrTimeout else {
            let limit = context.qrTimeout.components.seconds
            throw table.error(.invalidValue, key: "time_expire_s",
                              "\(table.fullKey("time_expire_s")) is \(timeExpire.secondsText), longer than checkout.qr_timeout_s (\(context.qrTimeout.secondsText)): a customer could still pay a charge after the till has stopped waiting for it. Set time_expire_s = \(limit) or less (or leave it out: it then follows qr_timeout_s), or raise qr_timeout_s in [checkout] to at least \(timeExpire.secondsText)")
        }
        let livemode = try table.bool("livemode", default: true)
        let returnURL: String
        if let written = try table.string("return_url") {
            returnURL = written
            _ = try table.webURL("return_url", returnURL)
        } else if let publicURL = context.notify.publicURL {
            // The notify server's own small "paid, thank you" page.
            returnURL = publicURL + "/paid"
        } else {
            throw table.error(.missingKey, key: "return_url",
                              "\(table.displayName) has no return_url, the page a customer's browser returns to after paying (alipay_web requires one): set return_url = \"https://shop.example.com/paid\", or [notify] public_url = \"https://YOUR-HOST\" to use the notify server's page")
        }
        var extra: [String: String] = [:]
        for key in PaymaxSettings.extraKeys {
            guard let value = try table.string(key) else { continue }
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw table.error(.invalidValue, key: key, "\(table.fullKey(key)) is empty: give the value Paymax gave you, or leave the key out")
            }
            // Paymax's document asks for user_id "in digits only".
            if key == "user_id", !value.allSatisfy({ $0.isASCII && $0.isNumber }) {
                throw table.error(.invalidValue, key: key, "\(table.fullKey(key)) must be digits only (Paymax's lakala channels refuse anything else), e.g. user_id = \"100001\"")
            }
            extra[key] = value
        }
        self.init(baseURL: baseURL, appKey: appKey, secretKey: secret, secretKeySource: source, merchantKey: merchantKey,
                  merchantKeyFile: merchantFile, paymaxKey: paymaxKey, paymaxKeyFile: paymaxFile, channels: channels,
                  timeExpire: timeExpire, returnURL: returnURL, extra: extra, livemode: livemode)
    }
}

extension ConfigTable {
    /// A file path key, `~` and relative paths resolved against the configuration's directory.
    func keyFile(_ key: String, context: ConfigContext) throws(ConfigError) -> String {
        let written = try requiredString(key, example: "\"~/.config/shroff/\(key.replacingOccurrences(of: "_file", with: "")).pem\"")
        guard let path = context.paths.resolve(written, relativeTo: context.directory) else {
            throw error(.noHomeDirectory, key: key, "\(fullKey(key)) starts with ~ but $HOME is not set")
        }
        return path
    }

    /// `channels`: Paymax channel codes the till offers, at most one per key; default `["alipay_web"]`.
    fileprivate func channels(context: ConfigContext) throws(ConfigError) -> [String] {
        guard let value = table["channels"] else { return ["alipay_web"] }
        guard case .array(let items) = value else { throw wrongType("channels", expected: "a list of channel codes, e.g. [\"wechat_csb\", \"alipay_web\"]") }
        let offered = PaymaxSettings.channelWallets.map(\.channel)
        var channels: [String] = []
        for item in items {
            guard let code = item.stringValue else { throw wrongType("channels", expected: "a list of channel codes in quotes") }
            guard let wallet = PaymaxSettings.channelWallets.first(where: { $0.channel == code })?.wallet else {
                throw error(.invalidValue, key: "channels",
                            "\(fullKey("channels")) names \(code), which the till cannot offer; it can offer: \(offered.joined(separator: ", "))")
            }
            // Only the first channel of a key would ever be used: say so rather than ignore one.
            if let other = channels.first(where: { PaymaxSettings.wallet(of: $0) == wallet && $0 != code }) {
                throw error(.invalidValue, key: "channels",
                            "\(fullKey("channels")) names both \(other) and \(code), which are both offered on the \(PaymaxSettings.key(for: code)) key (\(wallet.displayName)): keep one of them")
            }
            if !channels.contains(code) { channels.append(code) }
        }
        guard !channels.isEmpty else { throw error(.invalidValue, key: "channels", "\(fullKey("channels")) is empty: write channels = [\"wechat_csb\", \"alipay_web\"]") }
        return channels
    }
}

extension PaymaxSettings {
    static func wallet(of channel: String) -> Wallet? { channelWallets.first { $0.channel == channel }?.wallet }

    /// The till's key for `channel`: `w` for WeChat Pay, `a` for Alipay.
    public static func key(for channel: String) -> String {
        wallet(of: channel) == .wechat ? "w" : "a"
    }
}
