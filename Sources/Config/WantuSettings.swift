/// How to reach the Wantu payment gateway and sign requests to it.
///
/// `baseURL` is https, or http to a loopback host only (a local sandbox), and carries no
/// user name or password; it has no trailing slash. The key never appears in a description.
public struct WantuSettings: Sendable {
    /// Wantu's production gateway, the default `base_url`.
    public static let productionBaseURL = "https://merchants-api.wantu.cn/paygate"
    /// Wantu's sandbox (testing) gateway: set `base_url` to this to try the till without real money.
    public static let sandboxBaseURL = "https://sandbox-merchants.wantu.cn/paygate"

    public var baseURL: String
    public var merchantAccount: String
    public var storeAccount: String
    /// The signing key. Printing it shows `<redacted>`.
    public var key: Secret
    /// Where the key came from, for the settings screen.
    public var keySource: KeySource
    /// Where the gateway sends payment notifications.
    public var notifyURL: String
    /// The terminal's device serial number, when the merchant registered one.
    public var deviceSN: String?

    public init(baseURL: String, merchantAccount: String, storeAccount: String, key: Secret,
                keySource: KeySource = .supplied, notifyURL: String, deviceSN: String?) {
        self.baseURL = baseURL
        self.merchantAccount = merchantAccount
        self.storeAccount = storeAccount
        self.key = key
        self.keySource = keySource
        self.notifyURL = notifyURL
        self.deviceSN = deviceSN
    }
}

extension WantuSettings: ProviderTableReading {
    public static let providerName = "wantu"
    static let keys = ["base_url", "merchant_account", "store_account", "key", "key_env", "key_file", "notify_url", "device_sn"]
    static let requiredHint = "merchant_account, store_account, notify_url and key_env (or key_file, or key)"

    public var summary: [(String, String)] {
        [("Base URL", baseURL), ("Merchant account", merchantAccount), ("Store account", storeAccount),
         ("Device SN", deviceSN ?? "not set"), ("Notify URL", notifyURL), ("Key", keySource.description)]
    }

    /// Reads `[providers.wantu]`. `base_url` defaults to production; the key comes from exactly
    /// one of `key`, `key_env`, `key_file`.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(WantuSettings.keys, homes: ConfigSchema.homes)
        let (key, keySource) = try table.gatewayKey(context: context)
        let baseURL = try table.gatewayBaseURL("base_url", default: WantuSettings.productionBaseURL,
                                               sandbox: WantuSettings.sandboxBaseURL)
        let merchantAccount = try table.requiredString("merchant_account", example: "\"your Wantu merchant account\"")
        let storeAccount = try table.requiredString("store_account", example: "\"your Wantu store account\"")
        let notify = try table.requiredString("notify_url", example: "\"https://shop.example.com/notify/wantu\"")
        _ = try table.webURL("notify_url", notify)
        let deviceSN = try table.string("device_sn")
        self.init(baseURL: baseURL, merchantAccount: merchantAccount, storeAccount: storeAccount, key: key,
                  keySource: keySource, notifyURL: notify, deviceSN: deviceSN?.isEmpty == true ? nil : deviceSN)
    }
}

/// Where a gateway key was read from; shown on the settings screen instead of the key.
public enum KeySource: Sendable, Equatable, CustomStringConvertible {
    /// `key` written in the configuration file itself.
    case configurationFile(String)
    /// `key_env`: the named environment variable.
    case environment(String)
    /// `key_file`: the file at this path.
    case keyFile(String)
    /// Given by the program itself (the training sandbox's key).
    case supplied

    public var description: String {
        switch self {
        case .configurationFile(let path): "set (in \(path))"
        case .environment(let name): "set (from env \(name))"
        case .keyFile(let path): "set (from file \(path))"
        case .supplied: "set (by the training sandbox)"
        }
    }
}
