/// Wantu's return codes (seed §1.4).
public enum WantuReturnCode: Int, Sendable, CaseIterable {
    case success = 200
    case dataFormatError = 300
    case signError = 301
    case noPrivilege = 302
    case paramMissing = 303
    case paramError = 304
    case outTradeNoUsed = 400
    case orderPaid = 401
    case orderInvalid = 402
    case systemError = 500
    case tradeError = 501
    case notEnough = 502
    case notSupportCard = 503
    case bankError = 504
    case authCodeInvalid = 505
    case userPaying = 506
    case authCodeExpired = 507
    case refundError = 508
    case unsupportedCurrency = 509

    /// The `return_msg` Wantu sends with the code.
    public var message: String {
        switch self {
        case .success: "SUCCESS"
        case .dataFormatError: "DATA_FORMAT_ERROR"
        case .signError: "SIGN_ERROR"
        case .noPrivilege: "NO_PRIVILEGE"
        case .paramMissing: "PARAM_MISSING"
        case .paramError: "PARAM_ERROR"
        case .outTradeNoUsed: "OUT_TRADE_NO_USED"
        case .orderPaid: "ORDER_PAID"
        case .orderInvalid: "ORDER_INVALID"
        case .systemError: "SYSTEM_ERROR"
        case .tradeError: "TRADE_ERROR"
        case .notEnough: "NOT_ENOUGH"
        case .notSupportCard: "NOT_SUPPORT_CARD"
        case .bankError: "BANK_ERROR"
        case .authCodeInvalid: "AUTH_CODE_INVALID"
        case .userPaying: "USER_PAYING"
        case .authCodeExpired: "AUTH_CODE_EXPIRED"
        case .refundError: "REFUND_ERROR"
        case .unsupportedCurrency: "UNSUPPORTED_CURRENCY"
        }
    }
}
