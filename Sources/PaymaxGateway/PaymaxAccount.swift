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
    /// The page a customer's browser returns to after paying (required by `alipay_web`).
    public var returnURL: String
    /// The longest one request may take before its outcome counts as in doubt.
    public var requestTimeout: Duration

    public init(baseURL: String = PaymaxAccount.productionBaseURL, appKey: String, secretKey: String, livemode: Bool,
                merchantKey: @autoclosure @escaping @Sendable () -> RSAPrivateKey,
                paymaxKey: @autoclosure @escaping @Sendable () -> RSAPublicKey, channels: [String] = ["alipay_web"],
                timeExpire: Duration = .seconds(180), returnURL: String, requestTimeout: Duration = .seconds(15)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.appKey = appKey
        self.secretKey = secretKey
        self.livemode = livemode
        self.merchantKeySource = merchantKey
        self.paymaxKeySource = paymaxKey
        self.channels = channels
        self.timeExpire = timeExpire
        self.returnURL = returnURL
        self.requestTimeout = requestTimeout
    }
}

/// The channels this till can draw as a QR code, and the wallet each stands for.
///
/// `alipay_web` answers with a URL the customer's Alipay app opens. The lakala channels answer
/// with an HTML form that a browser must post, which needs a page served for it: not offered.
public enum PaymaxChannel {
    public static let supported: [String: Wallet] = ["alipay_web": .alipay]
}
