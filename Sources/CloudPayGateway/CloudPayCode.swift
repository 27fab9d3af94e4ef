import CheckoutCore

/// The status codes of CloudPay's payment request (seed: 状态码表), each with what it means
/// for the till. 100 is success; every other documented code is a refusal: nothing was created.
public enum CloudPayCode: Int, Sendable, CaseIterable {
    case success = 100
    case keyRequired = 101
    case keyInvalid = 102
    /// The seed gives 103 twice: "key expired" and "signature required".
    case keyExpiredOrSignatureMissing = 103
    case signatureInvalid = 104
    case parameterMissing = 105
    case forbiddenParameter = 106
    case apiClosed = 107
    case callbackURLMissing = 108
    case notifyURLMissing = 109
    case quotaExceeded = 110
    case unknownError = 199
    case priceInvalid = 201
    case typeInvalid = 202
    case typeClosed = 203
    case noTypeAvailable = 204
    case categoryCreationFailed = 205
    case productCreationFailed = 206
    case stockCreationFailed = 207
    case queueCreationFailed = 208
    case notAnAgent = 209

    /// What the code means, in words for the owner, with what to do about it.
    public var meaning: String {
        switch self {
        case .success: "request accepted"
        case .keyRequired: "no appkey was sent"
        case .keyInvalid: "the appkey is not valid: check [providers.cloudpay] appkey against the back office (账户设置)"
        case .keyExpiredOrSignatureMissing: "the appkey has expired or the signature is missing: check appkey and appsecret (changing the back-office password renews the appsecret)"
        case .signatureInvalid: "the signature is wrong: check [providers.cloudpay] appsecret (changing the back-office password renews it)"
        case .parameterMissing: "a parameter is missing"
        case .forbiddenParameter: "a parameter CloudPay forbids was sent"
        case .apiClosed: "the API is switched off for this account: turn it on in CloudPay's back office"
        case .callbackURLMissing, .notifyURLMissing:
            "CloudPay's back office has no callback URL: under 账户配置 set the asynchronous callback (异步回调地址) to https://YOUR-HOST/notify/cloudpay and the synchronous one (同步回调地址), then try again"
        case .quotaExceeded: "the account's plan is used up (套餐已超额): top it up with CloudPay"
        case .unknownError: "CloudPay reported an unknown error"
        case .priceInvalid: "CloudPay does not accept this price"
        case .typeInvalid: "CloudPay does not know this wallet: check [providers.cloudpay] types"
        case .typeClosed: "this wallet is switched off for the account: turn it on in the back office or remove it from [providers.cloudpay] types"
        case .noTypeAvailable: "no wallet account is online at CloudPay (扫码上线 in the back office)"
        case .categoryCreationFailed: "CloudPay could not create the order's category"
        case .productCreationFailed: "CloudPay could not create the order's product"
        case .stockCreationFailed: "CloudPay could not create the order's stock"
        case .queueCreationFailed: "CloudPay could not queue the order"
        case .notAnAgent: "the account is not an agent account"
        }
    }

    /// What a refused creation means for the checkout. Configuration and account problems are
    /// `rejected` (fix the settings; nothing was charged); CloudPay's own failures to create
    /// the order are in doubt, since an order may exist there (though nobody saw its code).
    var verdict: PaymentVerdict {
        let problem = GatewayProblem(code: "CloudPay \(rawValue)", message: meaning)
        switch self {
        case .success, .unknownError, .categoryCreationFailed, .productCreationFailed, .stockCreationFailed, .queueCreationFailed:
            return .inDoubt("CloudPay answered \(rawValue): \(meaning)")
        case .priceInvalid:
            return .declined(Decline(.orderInvalid, gatewayMessage: "CloudPay \(rawValue): \(meaning)"))
        case .keyRequired, .keyInvalid, .keyExpiredOrSignatureMissing, .signatureInvalid, .parameterMissing,
             .forbiddenParameter, .apiClosed, .callbackURLMissing, .notifyURLMissing, .quotaExceeded,
             .typeInvalid, .typeClosed, .noTypeAvailable, .notAnAgent:
            return .rejected(problem)
        }
    }
}
