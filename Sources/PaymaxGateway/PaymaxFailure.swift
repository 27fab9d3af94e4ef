import CheckoutCore
import HTTPTransport

/// A refusal Paymax signed: its `failure_code` and `failure_msg`, sorted into what a cashier
/// can do about it. Codes not named here are shown as they came and never read as success.
struct PaymaxFailure: Sendable, Equatable {
    var code: String
    var message: String

    /// A refusal in a verified answer: any 4xx, or a 2xx with a failure code and no `status`
    /// (a FAILED charge or refund carries a failure code too, and is an object, not a refusal).
    init?(_ object: [String: GatewayJSON], status: Int) {
        let code = object.text("failure_code") ?? object.text("failureCode")
        let isObject = (200..<300).contains(status) && object["status"] != nil
        guard !isObject, code != nil || !(200..<300).contains(status) else { return nil }
        self.code = code ?? "HTTP_\(status)"
        self.message = object.text("failure_msg") ?? object.text("failureMsg") ?? object.text("message") ?? "no message"
    }

    enum Kind: Equatable {
        /// The order number is already taken at Paymax (an earlier attempt reached it).
        case orderNumberUsed
        /// Another refund of the charge is still processing.
        case refundProcessing
        /// The amount is refused (too large, zero, more than is left to refund).
        case amount
        /// The request itself is wrong or unauthorised: the configuration needs fixing.
        case configuration
        /// Not one the documents or notes name.
        case other
    }

    var kind: Kind {
        let upper = code.uppercased()
        if upper == "ORDER_NO_DUPLICATE" { return .orderNumberUsed }
        if upper == "MULTI_REFUND_RECORDS" { return .refundProcessing }
        if upper.contains("AMOUNT") { return .amount }
        for word in ["SIGN", "AUTH", "KEY", "SECRET", "APP", "PARAM", "ILLEGAL", "CURRENCY"] where upper.contains(word) {
            return .configuration
        }
        return .other
    }

    /// Paymax's words, as they came.
    var words: String { "\(code): \(message)" }

    var problem: GatewayProblem {
        GatewayProblem(code: code, message: message + " (check app_key, the secret key, the key files and the channels in [providers.paymax])")
    }
}
