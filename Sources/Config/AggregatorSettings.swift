import CheckoutCore

/// How to reach the merchant's unified-order aggregator and sign requests to it.
///
/// `baseURL` is the merchant's own gateway address (there is no default): https, or http to a
/// loopback host (a local sandbox), or plain http to any host only with `allow_plain_http =
/// true`, which `warnings` then reports at every start. No trailing slash. The secret never
/// appears in a description.
public struct AggregatorSettings: Sendable {
    public var baseURL: String
    /// The merchant ID (`appid`).
    public var appID: String
    /// The MD5 signing secret. Printing it shows `<redacted>`.
    public var secret: Secret
    /// Where the secret came from, for the settings screen.
    public var secretSource: KeySource
    /// `bank_code` of an Alipay QR order; the seed's 911 by default.
    public var bankCodeAlipay: String
    /// `bank_code` of a WeChat Pay QR order; the seed's 912 by default.
    public var bankCodeWeChat: String
    /// Where the aggregator posts its callbacks (a `shroff notify-server`'s `/notify/aggregator`).
    public var notifyURL: String
    /// The page a customer's browser is sent to after paying: the seed requires one.
    public var returnURL: String
    /// True when the table says `allow_plain_http = true`.
    public var allowPlainHTTP: Bool

    public init(baseURL: String, appID: String, secret: Secret, secretSource: KeySource = .supplied,
                bankCodeAlipay: String = "911", bankCodeWeChat: String = "912", notifyURL: String, returnURL: String,
                allowPlainHTTP: Bool = false) {
        self.baseURL = baseURL
        self.appID = appID
        self.secret = secret
        self.secretSource = secretSource
        self.bankCodeAlipay = bankCodeAlipay
        self.bankCodeWeChat = bankCodeWeChat
        self.notifyURL = notifyURL
        self.returnURL = returnURL
        self.allowPlainHTTP = allowPlainHTTP
    }
}

extension AggregatorSettings: ProviderTableReading {
    public static let providerName = "aggregator"
    static let keys = ["base_url", "appid", "secret", "secret_env", "secret_file", "bank_code_alipay", "bank_code_wechat",
                       "notify_url", "return_url", "allow_plain_http"]
    static let requiredHint = "base_url, appid, notify_url, return_url and secret_env (or secret_file, or secret)"
    /// Amounts go out in fen.
    static var onlyCurrency: Currency? { .cny }

    public var summary: [(String, String)] {
        [("Base URL", baseURL), ("App ID", appID), ("Bank codes", "Alipay \(bankCodeAlipay), WeChat Pay \(bankCodeWeChat)"),
         ("Notify URL", notifyURL), ("Return URL", returnURL), ("Secret", secretSource.description),
         ("Plain HTTP", allowPlainHTTP ? "allowed: answers and callbacks can be forged on the way" : "refused (https, or this machine only)")]
    }

    public var warnings: [String] {
        guard allowPlainHTTP else { return [] }
        return ["[providers.aggregator] allow_plain_http = true: answers from \(baseURL) (even the QR code's link) and callbacks can be read and forged on the way; only a callback with a valid signature is believed as paid"]
    }

    /// Reads `[providers.aggregator]`.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(AggregatorSettings.keys, homes: ConfigSchema.homes)
        let allowPlainHTTP = try table.bool("allow_plain_http", default: false)
        let baseURL = try table.requiredGatewayBaseURL("base_url", example: "https://pay.example.cn", plainHTTPAllowed: allowPlainHTTP)
        let appID = try table.requiredString("appid", example: "\"the merchant ID the aggregator gave you\"")
        let (secret, source) = try table.secret("secret", context: context)
        let alipay = try table.bankCode("bank_code_alipay", default: "911")
        let wechat = try table.bankCode("bank_code_wechat", default: "912")
        let notify = try table.requiredString("notify_url", example: "\"https://shop.example.com/notify/aggregator\"")
        _ = try table.webURL("notify_url", notify)
        let returnURL = try table.requiredString("return_url", example: "\"https://shop.example.com/\"")
        _ = try table.webURL("return_url", returnURL)
        self.init(baseURL: baseURL, appID: appID, secret: secret, secretSource: source, bankCodeAlipay: alipay, bankCodeWeChat: wechat,
                  notifyURL: notify, returnURL: returnURL, allowPlainHTTP: allowPlainHTTP)
    }
}

extension ConfigTable {
    /// A bank code (the aggregator's payment method): digits only; `fallback` when absent.
    fileprivate func bankCode(_ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let written = try string(key) else { return fallback }
        guard !written.isEmpty, written.count <= 8, written.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw error(.invalidValue, key: key, "\(fullKey(key)) must be the aggregator's bank code, digits only, such as \"\(fallback)\" (the default)")
        }
        return written
    }
}
