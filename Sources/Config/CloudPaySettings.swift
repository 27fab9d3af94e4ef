import CheckoutCore
import Foundation

/// How to reach CloudPay and sign for it: `[providers.cloudpay]`.
///
/// `baseURL` is the merchant's own `{$domain}` (no default): https, or http to a loopback host
/// (the sandbox), or — with `allow_plain_http = true`, since CloudPay's own addresses are plain
/// http — http anywhere, with a warning at every start. The app secret never appears in a
/// description. There is no notify URL: CloudPay's back office holds it, and it must lead to
/// `shroff notify-server`'s `/notify/cloudpay`.
public struct CloudPaySettings: Sendable {
    public var baseURL: String
    public var appKey: String
    /// Signs requests and notifications. Printing it shows `<redacted>`.
    public var appSecret: Secret
    public var appSecretSource: KeySource
    /// The wallets offered at the till, as `types` lists them.
    public var wallets: [Wallet]
    /// `max_price_adjustment`: how far `realprice` may stray from `price` and the order still
    /// be paid as asked. CNY 0.10 unless set; never negative.
    public var maxPriceAdjustment: Money

    public init(baseURL: String, appKey: String, appSecret: Secret, appSecretSource: KeySource = .supplied,
                wallets: [Wallet] = [.alipay], maxPriceAdjustment: Money = CloudPaySettings.defaultMaxPriceAdjustment) {
        self.baseURL = baseURL
        self.appKey = appKey
        self.appSecret = appSecret
        self.appSecretSource = appSecretSource
        self.wallets = wallets
        self.maxPriceAdjustment = maxPriceAdjustment
    }

    /// CNY 0.10.
    public static let defaultMaxPriceAdjustment = Money(minorUnits: 10, currency: .cny)

    /// What shroff says at every start while `allow_plain_http` lets a non-loopback http address through.
    public var plainHTTPWarning: String? {
        guard let url = URL(string: baseURL), url.scheme?.lowercased() == "http",
              !ConfigTable.loopbackHosts.contains(url.host?.lowercased() ?? "") else { return nil }
        return "[providers.cloudpay] base_url is plain http (allow_plain_http = true): CloudPay's answers and callbacks can be read and forged on the way. Use https if CloudPay offers it."
    }

    public var warnings: [String] { plainHTTPWarning.map { [$0] } ?? [] }
}

extension CloudPaySettings: ProviderTableReading {
    public static let providerName = "cloudpay"
    static let keys = ["base_url", "appkey", "appsecret", "appsecret_env", "appsecret_file", "types", "allow_plain_http",
                       "max_price_adjustment"]
    static let requiredHint = "base_url, appkey and appsecret_env (or appsecret_file, or appsecret)"

    public var summary: [(String, String)] {
        [("Base URL", baseURL + (plainHTTPWarning == nil ? "" : " (plain http allowed: can be forged on the way)")),
         ("App key", appKey), ("App secret", appSecretSource.description),
         ("Wallets", wallets.map(\.displayName).joined(separator: ", ")),
         ("Price adjustment", "paid as asked when realprice is within \(maxPriceAdjustment) of the price"),
         ("Notify route", "/notify/cloudpay (set as the callback URL in CloudPay's back office)")]
    }

    /// Reads `[providers.cloudpay]`.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(CloudPaySettings.keys, homes: ConfigSchema.homes)
        let plain = try table.bool("allow_plain_http", default: false)
        let baseURL = try table.requiredGatewayBaseURL("base_url", example: "https://pay.example.com", plainHTTPAllowed: plain)
        let appKey = try table.requiredString("appkey", example: "\"the appkey from CloudPay's back office (账户设置)\"")
        let (secret, source) = try table.secret("appsecret", context: context)
        self.init(baseURL: baseURL, appKey: appKey, appSecret: secret, appSecretSource: source,
                  wallets: try Self.wallets(table), maxPriceAdjustment: try Self.maxPriceAdjustment(table))
    }

    /// `max_price_adjustment`: yuan in quotes with at most two decimals ("0.10", "0", "1.5"),
    /// read as money, never through a floating-point number.
    static func maxPriceAdjustment(_ table: ConfigTable) throws(ConfigError) -> Money {
        guard let value = table.table["max_price_adjustment"] else { return defaultMaxPriceAdjustment }
        let fix = "write an amount of yuan in quotes, at least 0 and with at most two decimals, e.g. max_price_adjustment = \"0.10\""
        guard let text = value.stringValue else {
            throw table.wrongType("max_price_adjustment", expected: "a string: \(fix)")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("-") {
            throw table.error(.invalidValue, key: "max_price_adjustment", "\(table.fullKey("max_price_adjustment")) is negative (\"\(text)\"): \(fix)")
        }
        do {
            return try Money(parsing: trimmed, currency: .cny)
        } catch .notPositive {
            // Zero, the sign being ruled out above: every fen short is then an underpayment.
            return .zero(.cny)
        } catch {
            throw table.error(.invalidValue, key: "max_price_adjustment", "\(table.fullKey("max_price_adjustment")) is not an amount (\"\(text)\"): \(fix)")
        }
    }

    /// `types`: a non-empty list of "alipay" and "wechat", each once; `["alipay"]` when absent.
    static func wallets(_ table: ConfigTable) throws(ConfigError) -> [Wallet] {
        guard let value = table.table["types"] else { return [.alipay] }
        let fix = "write types = [\"alipay\"], [\"wechat\"] or [\"alipay\", \"wechat\"]"
        guard let items = value.arrayValue else { throw table.wrongType("types", expected: "a list of wallets: \(fix)") }
        var wallets: [Wallet] = []
        for item in items {
            guard let word = item.stringValue, let wallet = Wallet(rawValue: word) else {
                throw table.error(.invalidValue, key: "types", "\(table.fullKey("types")) lists \(item.stringValue.map { "\"\($0)\"" } ?? "a value that is not a string"), which CloudPay does not offer: \(fix)")
            }
            guard !wallets.contains(wallet) else {
                throw table.error(.invalidValue, key: "types", "\(table.fullKey("types")) lists \"\(word)\" twice: \(fix)")
            }
            wallets.append(wallet)
        }
        guard !wallets.isEmpty else { throw table.error(.invalidValue, key: "types", "\(table.fullKey("types")) is empty: \(fix)") }
        return wallets
    }
}
