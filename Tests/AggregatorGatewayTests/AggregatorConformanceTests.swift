import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Synchronization
import Testing
import TestSupport

/// The aggregator against the rules every gateway keeps (`GatewayConformance` in TestSupport).
@Suite struct AggregatorConformanceTests {
    @Test func theAggregatorKeepsEveryRuleOfThePaymentGatewayProtocol() async {
        let problems = await GatewayConformance.problems(AggregatorHarness())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// The aggregator's answers carry no signature: the channel vouches for them. So a "well-signed"
/// paid answer is one that came over HTTPS; a "badly signed" one came over plain http to
/// another host, with a forged `sign` beside it; an "unsigned" one came over plain http.
struct AggregatorHarness: GatewayConformanceHarness {
    let logs = CapturedLogs()
    private let sent = SentRequests()

    var order: OrderReference { Recorded.reference }
    var secrets: [String] { [Recorded.secret] }
    var logText: String { logs.text }
    /// The aggregator takes no refunds: nothing is ever sent for one.
    var refundNumbersSent: [String] { [] }
    var sentRequests: [HTTPRequest] { sent.value.withLock { $0 } }

    func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway {
        var baseURL = "https://pay.example.cn"
        let reply: Result<HTTPResponse, TransportError>
        switch answer {
        case .paid(let amount):
            reply = .success(HTTPResponse(status: 200, body: paidAnswer(amount, sign: nil)))
        case .paidBadlySigned(let amount):
            baseURL = "http://pay.example.cn"
            reply = .success(HTTPResponse(status: 200, body: paidAnswer(amount, sign: "0123456789abcdef0123456789abcdef")))
        case .paidUnsigned(let amount):
            baseURL = "http://pay.example.cn"
            reply = .success(HTTPResponse(status: 200, body: paidAnswer(amount, sign: nil)))
        case .timeout: reply = .failure(.timedOut)
        case .serverError: reply = .success(HTTPResponse(status: 500, body: Array("<html>Internal Server Error</html>".utf8)))
        case .garbage: reply = .success(HTTPResponse(status: 200, body: Array(#"{"status":"#.utf8)))
        }
        let transport = RecordingTransport { [sent] request, _ in
            sent.value.withLock { $0.append(request) }
            return reply
        }
        return Recorded.gateway(transport, baseURL: baseURL, logs: logs)
    }

    func notification(paid amount: Money, signed: Bool) -> IncomingNotification {
        var form = ["appid": Recorded.appID, "order_no": Recorded.order, "amount": "\(amount.minorUnits).00",
                    "actual_amount": "\(amount.minorUnits).00", "attach": "", "pay_status": "1",
                    "pay_time": "2026-12-01 17:30:21", "platform_order_no": "A202612011730004095826222"]
        if signed { form["sign"] = AggregatorSignature.sign(form, secret: Recorded.secret, form: .callback) }
        let body = FormEncoding.encode(form)
        return IncomingNotification(headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    private func paidAnswer(_ amount: Money, sign: String?) -> [UInt8] {
        var data: [String: Any] = ["order_no": Recorded.order, "amount": "\(amount.minorUnits).00", "pay_status": 1,
                                   "platform_order_no": "A202612011730004095826222", "pay_time": "2026-12-01 17:30:21"]
        data["sign"] = sign
        let object: [String: Any] = ["status": "1", "message": "查询成功", "data": data]
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}

/// Every request the harness's gateways sent.
final class SentRequests: Sendable {
    let value = Mutex<[HTTPRequest]>([])
}

/// The suite's capability checks can fail: gateways that lie about what they do are caught.
@Suite struct ConformanceCapabilityCheckTests {
    /// The aggregator, claiming `extra` capabilities; when `refundsByQuerying`, its refund sends a
    /// query (a request for something it does not declare).
    struct Lying: PaymentGateway {
        let inner: any PaymentGateway
        let extra: GatewayCapabilities
        let refundsByQuerying: Bool
        var name: String { inner.name }
        var capabilities: GatewayCapabilities { inner.capabilities.union(extra) }
        func createQR(_ request: QRPayRequest) async -> QRCreation { await inner.createQR(request) }
        func query(_ order: OrderReference) async -> PaymentVerdict { await inner.query(order) }
        func refund(_ request: RefundRequest) async -> RefundVerdict {
            guard refundsByQuerying else { return .rejected(.unsupported) }
            return .inDoubt("\(await inner.query(request.order))")
        }
        func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict { inner.verifyNotification(notification) }
    }

    struct LyingHarness: GatewayConformanceHarness {
        let base = AggregatorHarness()
        let extra: GatewayCapabilities
        let refundsByQuerying: Bool
        var order: OrderReference { base.order }
        var secrets: [String] { base.secrets }
        var logText: String { base.logText }
        var refundNumbersSent: [String] { base.refundNumbersSent }
        var sentRequests: [HTTPRequest] { base.sentRequests }
        func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway {
            Lying(inner: base.gateway(answering: answer), extra: extra, refundsByQuerying: refundsByQuerying)
        }
        func notification(paid amount: Money, signed: Bool) -> IncomingNotification { base.notification(paid: amount, signed: signed) }
    }

    @Test func aDeclaredCapabilityLeftUnsupportedIsCaught() async {
        let problems = await GatewayConformance.problems(LyingHarness(extra: .close, refundsByQuerying: false))
        #expect(problems.contains("a close is declared in capabilities but answers unsupported"), "\(problems)")
        #expect(problems.contains("a close is declared in capabilities but sends nothing"), "\(problems)")
    }

    @Test func aRequestForAnUndeclaredCapabilityIsCaught() async {
        let problems = await GatewayConformance.problems(LyingHarness(extra: [], refundsByQuerying: true))
        #expect(problems.contains("a refund is not declared in capabilities but was not refused as unsupported"), "\(problems)")
        #expect(problems.contains("a refund is not declared in capabilities, yet 1 request(s) went on the wire"), "\(problems)")
    }
}
