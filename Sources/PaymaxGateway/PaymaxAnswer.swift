import CheckoutCore
import Foundation
import HTTPTransport
import Signing

/// A Paymax answer that arrived, signed by Paymax, addressed to us and fresh — or why it
/// cannot be believed.
enum PaymaxAnswer {
    /// Every check passed; `status` is the HTTP status (2xx or a 4xx refusal).
    case verified(status: Int, object: [String: GatewayJSON])
    /// Nothing to judge by: the transport failed, the server erred, or the answer failed a check.
    case untrusted(why: String, requestMayHaveArrived: Bool)

    /// Checks, in order: a status that is an answer (not 5xx), the `sign` over nonce, timestamp,
    /// Authorization and body with Paymax's public key, the echoed Authorization equal to our
    /// secret key (in constant time), the timestamp within 120 s of `now`, and a JSON object.
    init(response: HTTPResponse, account: PaymaxAccount, now: Date) {
        guard (200..<500).contains(response.status) else {
            self = .untrusted(why: "HTTP \(response.status) from Paymax", requestMayHaveArrived: true)
            return
        }
        guard let sign = response.header("sign"), let nonce = response.header("nonce"),
              let timestamp = response.header("timestamp"), let echoed = response.header("Authorization") else {
            var why = "Paymax's answer is not signed (HTTP \(response.status))"
            // Not believed, but worth saying: a till whose keys Paymax refuses sees nothing but this.
            if let object = GatewayJSON.parse(response.body)?.object, let failure = PaymaxFailure(object, status: response.status) {
                why += "; it claims \(failure.words). If every answer is like this, check app_key, the secret key and the key files in [providers.paymax]"
            }
            self = .untrusted(why: why, requestMayHaveArrived: true)
            return
        }
        let text = PaymaxSignature.answerText(nonce: nonce, timestamp: timestamp, authorization: echoed, body: response.body)
        guard account.paymaxKey.verifySHA1(base64Signature: sign, message: text) else {
            self = .untrusted(why: "Paymax's answer has a wrong signature; if every answer is like this, check paymax_public_key_file",
                              requestMayHaveArrived: true)
            return
        }
        guard constantTimeEquals(echoed, account.secretKey) else {
            self = .untrusted(why: "Paymax's answer was made for another secret key", requestMayHaveArrived: true)
            return
        }
        guard let millis = Int64(timestamp), abs(PaymaxGateway.millis(now) - millis) <= PaymaxSignature.freshness else {
            self = .untrusted(why: "Paymax's answer is stale or from the future (timestamp \(timestamp)); check this machine's clock",
                              requestMayHaveArrived: true)
            return
        }
        guard let object = GatewayJSON.parse(response.body)?.object else {
            self = .untrusted(why: "Paymax's answer is not a JSON object", requestMayHaveArrived: true)
            return
        }
        self = .verified(status: response.status, object: object)
    }
}
