import CheckoutCore
import CloudPayGateway
import Foundation
import HTTPTransport
import Synchronization
import Testing
import TestSupport

/// CloudPay against the rules every gateway keeps (`GatewayConformance` in TestSupport): it
/// declares no query, refund, cancel or close, and sends nothing when asked for them.
@Suite struct CloudPayConformanceTests {
    @Test func cloudPayKeepsEveryRuleOfThePaymentGatewayProtocol() async {
        let harness = CloudPayHarness()
        let problems = await GatewayConformance.problems(harness)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

struct CloudPayHarness: GatewayConformanceHarness {
    let logs = CapturedLogs()
    private let sent = SentRequests()
    var order: OrderReference { OrderReference(orderID: try! OrderID(Recorded.order), wallet: .alipay, amount: Money(minorUnits: 1230, currency: .cny)) }
    var secrets: [String] { [Recorded.secret] }
    var logText: String { logs.text }
    var refundNumbersSent: [String] { [] }
    var sentRequests: [HTTPRequest] { sent.value.withLock { $0 } }

    func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway {
        let reply: Result<HTTPResponse, TransportError> = switch answer {
        case .paid, .paidBadlySigned, .paidUnsigned: .success(HTTPResponse(status: 200, body: Recorded.bytes("create-success.json")))
        case .timeout: .failure(.timedOut)
        case .serverError: .success(HTTPResponse(status: 500, body: Array("<html>Internal Server Error</html>".utf8)))
        case .garbage: .success(HTTPResponse(status: 200, body: Array(#"{"code":"#.utf8)))
        }
        return CloudPayGateway(account: CloudPayAccount(baseURL: "https://pay.example.com", appKey: Recorded.appKey, appSecret: Recorded.secret),
                               transport: KeepingTransport(reply: reply, sent: sent), logger: logs.logger())
    }

    func notification(paid amount: Money, signed: Bool) -> IncomingNotification {
        let price = CloudPayPrice.text(amount) ?? ""
        return CloudPayNotificationTests.form(CloudPayNotificationTests.fields(price: price, realprice: price), secret: signed ? Recorded.secret : nil)
    }

    func changing(_ notification: IncomingNotification, from original: Money, to other: Money) -> IncomingNotification {
        var changed = notification
        changed.body = Array(String(decoding: notification.body, as: UTF8.self)
            .replacingOccurrences(of: CloudPayPrice.text(original) ?? "", with: CloudPayPrice.text(other) ?? "").utf8)
        return changed
    }
}

/// Keeps the requests that reach the wire.
final class KeepingTransport: HTTPTransport {
    let reply: Result<HTTPResponse, TransportError>
    let sent: SentRequests
    init(reply: Result<HTTPResponse, TransportError>, sent: SentRequests) {
        self.reply = reply
        self.sent = sent
    }
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        sent.value.withLock { $0.append(request) }
        return try reply.get()
    }
}

/// Every request the harness's gateway sent.
final class SentRequests: Sendable {
    let value = Mutex<[HTTPRequest]>([])
}
