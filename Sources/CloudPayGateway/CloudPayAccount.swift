import CheckoutCore

/// What the CloudPay gateway needs to create orders and check notifications for one merchant.
///
/// There is no notify URL here: CloudPay posts its notifications to the callback URL set in
/// its merchant back office (账户配置), which must be `https://YOUR-HOST/notify/cloudpay`.
public struct CloudPayAccount: Sendable {
    /// The merchant's `{$domain}`, without a trailing slash.
    public var baseURL: String
    /// The merchant's app key (后台 → 账户设置 → appkey): sent with each order, not secret.
    public var appKey: String
    /// The app secret that signs requests and notifications. Only the signer reads it.
    public var appSecret: String
    /// The wallets offered at the till (CloudPay's `type`), in the order shown.
    public var wallets: [Wallet]
    /// The longest one request may take before its outcome counts as in doubt.
    public var requestTimeout: Duration
    /// How far `realprice` may fall short of `price` (or exceed it) and the order still be
    /// paid as asked: such gateways shift prices by a few fen to tell payers apart. A larger
    /// shortfall is an underpayment, not paid; a larger excess is paid and flagged.
    public var maxPriceAdjustment: Money

    public init(baseURL: String, appKey: String, appSecret: String, wallets: [Wallet] = [.alipay],
                requestTimeout: Duration = .seconds(15), maxPriceAdjustment: Money = defaultMaxPriceAdjustment) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.appKey = appKey
        self.appSecret = appSecret
        self.wallets = wallets
        self.requestTimeout = requestTimeout
        self.maxPriceAdjustment = maxPriceAdjustment
    }

    /// CloudPay prices in yuan: the only currency it takes.
    public static let currency = Currency.cny
    /// CNY 0.10: ten fen either way is a price shift, not a wrong payment.
    public static let defaultMaxPriceAdjustment = Money(minorUnits: 10, currency: currency)
}

extension Wallet {
    /// CloudPay's `type`.
    public var cloudPayType: String { rawValue }

    /// The wallet CloudPay's `type` names; nil for any other word.
    public init?(cloudPayType: String) {
        self.init(rawValue: cloudPayType)
    }
}
