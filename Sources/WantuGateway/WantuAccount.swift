import CheckoutCore
import Foundation

/// What the Wantu gateway needs to talk to Wantu for one store.
public struct WantuAccount: Sendable {
    /// The API's base, without a trailing slash: `https://merchants-api.wantu.cn/paygate`.
    public var baseURL: String
    public var merchantAccount: String
    public var storeAccount: String
    /// The merchant's MD5 key. Only the signer reads it.
    public var key: String
    /// Where Wantu posts payment notifications.
    public var notifyURL: String
    public var deviceSN: String?
    /// The store's currency: Wantu's `fee_type`.
    public var currency: Currency
    /// `send_time` is the store's local time.
    public var timeZone: TimeZone
    /// The longest one request may take before its outcome counts as in doubt.
    public var requestTimeout: Duration

    public init(baseURL: String, merchantAccount: String, storeAccount: String, key: String, notifyURL: String,
                deviceSN: String? = nil, currency: Currency, timeZone: TimeZone, requestTimeout: Duration = .seconds(15)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.merchantAccount = merchantAccount
        self.storeAccount = storeAccount
        self.key = key
        self.notifyURL = notifyURL
        self.deviceSN = deviceSN
        self.currency = currency
        self.timeZone = timeZone
        self.requestTimeout = requestTimeout
    }
}

extension Wallet {
    /// Wantu's `pay_channel`: 1 WeChat Pay, 2 Alipay.
    var wantuChannel: String { self == .wechat ? "1" : "2" }
}
