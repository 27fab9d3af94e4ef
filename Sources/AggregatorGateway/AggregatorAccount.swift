import CheckoutCore
import Foundation
import HTTPTransport

/// What the aggregator gateway needs to talk to the merchant's own gateway address.
public struct AggregatorAccount: Sendable {
    /// The merchant's gateway address, without a trailing slash: `https://pay.example.cn`.
    public var baseURL: String
    /// The merchant ID (`appid`).
    public var appID: String
    /// The MD5 signing secret. Only the signer reads it.
    public var secret: String
    /// The `bank_code` of an Alipay QR order (the seed's 911, 支付宝扫码).
    public var bankCodeAlipay: String
    /// The `bank_code` of a WeChat Pay QR order (the seed's 912, 微信扫码).
    public var bankCodeWeChat: String
    /// Where the aggregator posts its callbacks (`/notify/aggregator` on the till's receiver).
    public var notifyURL: String
    /// Where a customer's browser would be sent after paying; required by the seed, unused at a counter.
    public var returnURL: String
    /// The longest one request may take before its outcome counts as in doubt.
    public var requestTimeout: Duration

    public init(baseURL: String, appID: String, secret: String, bankCodeAlipay: String = "911", bankCodeWeChat: String = "912",
                notifyURL: String, returnURL: String, requestTimeout: Duration = .seconds(15)) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.appID = appID
        self.secret = secret
        self.bankCodeAlipay = bankCodeAlipay
        self.bankCodeWeChat = bankCodeWeChat
        self.notifyURL = notifyURL
        self.returnURL = returnURL
        self.requestTimeout = requestTimeout
    }

    /// The aggregator's answers carry no signature: only the channel vouches for them. True
    /// when that channel is HTTPS, or plain http to this machine (a sandbox), so that nobody
    /// on the way could have written a "paid".
    public var answersAreAuthentic: Bool {
        baseURL.lowercased().hasPrefix("https://") || HTTPRequest.isLoopback(baseURL)
    }

    func bankCode(_ wallet: Wallet) -> String {
        wallet == .wechat ? bankCodeWeChat : bankCodeAlipay
    }
}
