import CheckoutCore
import Foundation
public import Signing

/// What the Paymax gateway needs to talk to Paymax for one store.
///
/// The keys are loaded and checked before this is made (`PaymaxKeys`), so a gateway built
/// from it can sign its first request. Nothing here prints a secret.
public struct PaymaxAccount: Sendable {
    /// Paymax's production API, the default base URL.
    public static let productionBaseURL = "https://www.paymax.cc/merchant-api"

    /// The API's base, without a trailing slash: `https://www.paymax.cc/merchant-api`. Signed
    /// paths start after it, at `/v1/`.
    public var baseURL: String
    /// The application's key, sent as `app`.
    public var appKey: String
    /// The merchant secret key: sent as `Authorization` and echoed in every answer.
    var secretKey: String
    /// Paymax's mode of the account (`livemode`): true for real money, false for Paymax's test
    /// mode (and the sandbox). A charge of the other mode is never this till's.
    public var livemode: Bool
    /// The keys are read when first needed: a training till makes the sandbox's keys only if
    /// Paymax is used. A configured till's keys were loaded and checked with its configuration.
    let merchantKeySource: @Sendable () -> RSAPrivateKey
    let paymaxKeySource: @Sendable () -> RSAPublicKey
    var merchantKey: RSAPrivateKey { merchantKeySource() }
    var paymaxKey: RSAPublicKey { paymaxKeySource() }
    /// The channels the till offers, Paymax's codes ("alipay_web").
    public var channels: [String]
    /// How long a QR order can be paid, sent as `time_expire`.
    public var timeExpire: Duration
    /// The page a customer's browser returns to after paying (required by `alipay_web` and
    /// the lakala channels).
    public var returnURL: String
    /// The channels' `extra` fields the shop set in `[providers.paymax]` (`open_id`,
    /// `user_id`), sent to each channel that takes them (`PaymaxChannel.extraFields`).
    public var extra: [String: String]
    /// The longest one request may take before its outcome counts as in doubt.
    public var requestTimeout: Duration

    public init(baseURL: String = PaymaxAccount.productionBaseURL, appKey: String, secretKey: String, livemode: Bool,
                merchantKey: @autoclosure @escaping @Sendable () -> RSAPrivateKey,
                paymaxKey: @autoclosure @escaping @Sendable () -> RSAPublicKey, channels: [String] = ["alipay_web"],
                timeExpire: Duration = .seconds(180), returnURL: String, extra: [String: String] = [:],
                requestTimeout: Duration = .seconds(15)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.appKey = appKey
        self.secretKey = secretKey
        self.livemode = livemode
        self.merchantKeySource = merchantKey
        self.paymaxKeySource = paymaxKey
        self.channels = channels
        self.timeExpire = timeExpire
        self.returnURL = returnURL
        self.extra = extra
        self.requestTimeout = requestTimeout
    }
}

/// The channels this till offers, the key (wallet) each is offered under, and what each sends.
///
/// - `wechat_csb`, WeChat's scan-to-pay (C2B) channel, answers with a short `weixin://` code:
///   the `w` key. The seed's channel table leaves it out; Paymax's SDK names it and its
///   webhook examples carry `credential.wechat_csb.qr_code`.
/// - `alipay_web` answers with an Alipay gateway URL, often too long to draw at 80×24 (the
///   till then draws a short pay link); `lakala_web` and `lakala_web_fast` with an HTML form,
///   shown only through a pay link. They are the `a` key: the first of them in `channels`.
public enum PaymaxChannel {
    public static let supported: [String: Wallet] = [
        "wechat_csb": .wechat, "alipay_web": .alipay, "lakala_web": .alipay, "lakala_web_fast": .alipay,
    ]
    /// Channels whose answer is an HTML form, not a code.
    public static let formChannels: Set<String> = ["lakala_web", "lakala_web_fast"]
    /// The `extra` fields each channel takes from `[providers.paymax]`, beside `return_url`.
    public static let extraFields: [String: [String]] = [
        "wechat_csb": ["open_id"], "lakala_web": ["user_id"], "lakala_web_fast": ["user_id"],
    ]
    /// Channels that send the customer's browser back to `return_url`.
    static let returnURLChannels: Set<String> = ["alipay_web", "lakala_web", "lakala_web_fast"]
    /// Every `extra` field a shop may set, for the message naming a missing one.
    static var settableFields: [String] { Array(Set(extraFields.values.joined())).sorted() }
}
