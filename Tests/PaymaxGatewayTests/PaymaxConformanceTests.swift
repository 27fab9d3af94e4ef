import CheckoutCore
import Foundation
import HTTPTransport
@testable import PaymaxGateway
import Signing
import Synchronization
import Testing
import TestSupport

/// Paymax against the rules every gateway keeps (`GatewayConformance` in TestSupport).
@Suite struct PaymaxConformanceTests {
    @Test func paymaxKeepsEveryRuleOfThePaymentGatewayProtocol() async throws {
        let harness = try PaymaxHarness()
        let problems = await GatewayConformance.problems(harness)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// Answers every request alike, signed (or not) with a "Paymax" key the harness makes.
struct PaymaxHarness: GatewayConformanceHarness {
    let logs = CapturedLogs()
    let paymax: RSAPrivateKey
    let paymaxPublic: RSAPublicKey
    let impostor: RSAPrivateKey
    private let refunds = SentRefundNumbers()
    var refundNumbersSent: [String] { refunds.numbers.withLock { $0 } }
    var sentRequests: [HTTPRequest] { refunds.requests.withLock { $0 } }
    var refundLooksBeforeSending: Bool { true }
    /// Before a refund the charge is read (GET) for an earlier refund of ours.
    func isLookUp(_ request: HTTPRequest) -> Bool { request.method == "GET" }
    var order: OrderReference { Recorded.reference }
    var secrets: [String] { [Recorded.secret, (try? Recorded.merchantKey.pkcs8PEM()) ?? "-"] }
    var logText: String { logs.text }

    init() throws {
        paymax = try RSAPrivateKey.generate(bits: 1024)
        paymaxPublic = try paymax.publicKey()
        impostor = try RSAPrivateKey.generate(bits: 1024)
    }

    func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway {
        let reply: Result<HTTPResponse, TransportError>
        switch answer {
        case .paid(let amount): reply = .success(signed(charge(amount), by: paymax))
        case .paidBadlySigned(let amount): reply = .success(signed(charge(amount), by: impostor))
        case .paidUnsigned(let amount): reply = .success(HTTPResponse(status: 200, body: Array(charge(amount).utf8)))
        case .timeout: reply = .failure(.timedOut)
        case .serverError: reply = .success(HTTPResponse(status: 500, body: Array("<html>Internal Server Error</html>".utf8)))
        case .garbage: reply = .success(signed(#"{"id":"#, by: paymax))
        }
        let base = Recorded.account()
        let account = PaymaxAccount(baseURL: base.baseURL, appKey: base.appKey, secretKey: Recorded.secret, livemode: false, merchantKey: Recorded.merchantKey,
                                    paymaxKey: paymaxPublic, returnURL: base.returnURL)
        let refunds = self.refunds
        return PaymaxGateway(account: account, transport: RecordingTransport(reply) { request in
            refunds.requests.withLock { $0.append(request) }
            guard request.method == "POST", request.url.hasSuffix("/refunds"),
                  let number = GatewayJSON.parse(request.body)?.object?["metadata"]?.object?.text("refund_no") else { return }
            refunds.numbers.withLock { $0.append(number) }
        }, now: { Recorded.now }, logger: logs.logger())
    }

    func notification(paid amount: Money, signed: Bool) -> IncomingNotification {
        let body = Array(#"{"data":\#(charge(amount)),"notifyNo":"evt_conformance","timeCreated":1764590400000,"type":"CHARGE"}"#.utf8)
        let sign = signed ? [("sign", (try? paymax.signSHA1Base64(body)) ?? "")] : []
        return IncomingNotification(headers: [("Content-Type", "application/json")] + sign, body: body)
    }

    func changing(_ notification: IncomingNotification, from original: Money, to other: Money) -> IncomingNotification {
        var changed = notification
        changed.body = Array(String(decoding: notification.body, as: UTF8.self)
            .replacingOccurrences(of: PaymaxAmount.yuan(original), with: PaymaxAmount.yuan(other)).utf8)
        return changed
    }

    private func charge(_ amount: Money) -> String {
        #"{"id":"\#(Recorded.charge)","order_no":"\#(Recorded.order)","amount":\#(PaymaxAmount.yuan(amount)),"status":"SUCCEED","time_paid":1764590399000,"refunds":[]}"#
    }

    private func signed(_ body: String, by key: RSAPrivateKey) -> HTTPResponse {
        let nonce = "0123456789abcdef0123456789abcdef", timestamp = "1764590400000"
        let text = Array("\(nonce)\n\(timestamp)\n\(Recorded.secret)\n".utf8) + Array(body.utf8)
        return HTTPResponse(status: 200, headers: ["nonce": nonce, "timestamp": timestamp, "authorization": Recorded.secret,
                                                   "sign": (try? key.signSHA1Base64(text)) ?? ""], body: Array(body.utf8))
    }
}

/// The refund numbers the harness's gateways put on the wire, and every request they sent.
final class SentRefundNumbers: Sendable {
    let numbers = Mutex<[String]>([])
    let requests = Mutex<[HTTPRequest]>([])
}

extension RecordingTransport {
    /// Answers every request with the same response or error, and tells `sent` about each.
    convenience init(_ reply: Result<HTTPResponse, TransportError>, sent: @escaping @Sendable (HTTPRequest) -> Void) {
        self.init { request, _ in
            sent(request)
            return reply
        }
    }
}
