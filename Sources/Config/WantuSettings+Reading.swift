extension WantuSettings: ProviderSettings {
    static let providerName = "wantu"
    static let keys = ["base_url", "merchant_account", "store_account", "key", "key_env", "key_file", "notify_url", "device_sn"]

    /// Reads `[providers.wantu]`. `base_url` defaults to production; the key comes from exactly
    /// one of `key`, `key_env`, `key_file`.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(WantuSettings.keys, homes: ConfigSchema.homes)
        let (key, keySource) = try table.gatewayKey(context: context)
        let baseURL = try table.gatewayBaseURL("base_url", default: WantuSettings.productionBaseURL,
                                               sandbox: WantuSettings.sandboxBaseURL)
        let merchantAccount = try table.requiredString("merchant_account", example: "\"your Wantu merchant account\"")
        let storeAccount = try table.requiredString("store_account", example: "\"your Wantu store account\"")
        let notify = try table.requiredString("notify_url", example: "\"https://shop.example.com/wantu/notify\"")
        _ = try table.webURL("notify_url", notify)
        let deviceSN = try table.string("device_sn")
        self.init(baseURL: baseURL, merchantAccount: merchantAccount, storeAccount: storeAccount, key: key,
                  keySource: keySource, notifyURL: notify, deviceSN: deviceSN?.isEmpty == true ? nil : deviceSN)
    }
}
