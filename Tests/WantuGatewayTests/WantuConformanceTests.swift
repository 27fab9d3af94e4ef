import CheckoutCore
import Foundation
import HTTPTransport
import Synchronization
import Testing
import TestSupport
import WantuGateway

/// Wantu against the rules every gateway keeps (`GatewayConformance` in TestSupport).
@Suite struct WantuConformanceTests {
    @Test func wantuKeepsEveryRuleOfThePaymentGatewayProtocol() async {
        let harness = WantuHarness()
        let problems = await GatewayConformance.problems(harness)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// The suite can fail: a gateway that sent its money-changing requests as idempotent
    /// (which the transport may send twice) is caught, call by call.
    @Test func aMoneyChangingRequestMarkedIdempotentIsCaught() async {
        let problems = await GatewayConformance.problems(WantuHarness(marking: .idempotent))
        for call in ["a barcode payment", "a QR order", "a refund", "a cancel", "a close"] {
            #expect(problems.contains("\(call) sent 1 request(s) marked idempotent, which the transport may send twice"), "\(problems)")
            #expect(problems.contains("\(call) sent no request marked as changing money"), "\(problems)")
        }
    }

    @Test func aReadMarkedAsChangingMoneyIsCaught() async {
        let problems = await GatewayConformance.problems(WantuHarness(marking: .changesMoney))
        for call in ["a query", "a transaction list", "an exchange rate", "the store QR code"] {
            #expect(problems.contains("\(call) went out as changing money: each one would open a new connection"), "\(problems)")
        }
    }
}

/// Answers every request with the same response or error, and tells `sent` about each.
final class AlwaysTransport: HTTPTransport {
    let reply: Result<HTTPResponse, TransportError>
    let sent: @Sendable (HTTPRequest) -> Void
    init(_ reply: Result<HTTPResponse, TransportError>, sent: @escaping @Sendable (HTTPRequest) -> Void) {
        self.reply = reply
        self.sent = sent
    }
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        sent(request)
        return try reply.get()
    }
}

/// The refund numbers the harness's gateways put on the wire, and every request they sent.
final class SentRefundNumbers: Sendable {
    let numbers = Mutex<[String]>([])
    let requests = Mutex<[HTTPRequest]>([])
}

struct WantuHarness: GatewayConformanceHarness {
    let logs = CapturedLogs()
    private let refunds = SentRefundNumbers()
    /// When set, every request is recorded with this effect in place of the gateway's: a
    /// gateway that marks its requests wrongly, for the suite's own tests.
    var marking: HTTPRequest.Effect?
    var refundNumbersSent: [String] { refunds.numbers.withLock { $0 } }
    var sentRequests: [HTTPRequest] { refunds.requests.withLock { $0 } }
    var order: OrderReference { OrderReference(orderID: try! OrderID(Fixture.order), wallet: .wechat, amount: hkd1230) }
    var secrets: [String] { [Fixture.key, "134674074004982976"] }
    var logText: String { logs.text }

    func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway {
        let reply: Result<HTTPResponse, TransportError>
        switch answer {
        case .paid(let amount): reply = .success(HTTPResponse(status: 200, body: signedPaid(amount, key: Fixture.key)))
        case .paidBadlySigned(let amount): reply = .success(HTTPResponse(status: 200, body: signedPaid(amount, key: "another-key")))
        case .paidUnsigned(let amount): reply = .success(HTTPResponse(status: 200, body: body(fields(amount))))
        case .timeout: reply = .failure(.timedOut)
        case .serverError: reply = .success(HTTPResponse(status: 500, body: Array("<html>Internal Server Error</html>".utf8)))
        case .garbage: reply = .success(HTTPResponse(status: 200, body: Array(#"{"return_code":"#.utf8)))
        }
        return gateway(reply)
    }

    func gateway(answeringPaidFor other: OrderID, amount: Money) -> (any PaymentGateway)? {
        gateway(.success(HTTPResponse(status: 200, body: signedPaid(amount, key: Fixture.key, order: other.rawValue))))
    }

    private func gateway(_ reply: Result<HTTPResponse, TransportError>) -> any PaymentGateway {
        let account = WantuAccount(baseURL: "https://sandbox-merchants.wantu.cn/paygate", merchantAccount: "HKG1449074190",
                                   storeAccount: "HKG1831455570", key: Fixture.key, notifyURL: "https://shop.example/notify",
                                   currency: .hkd, timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
        return WantuGateway(account: account, transport: AlwaysTransport(reply) { [refunds, marking] request in
            var recorded = request
            recorded.effect = marking ?? request.effect
            refunds.requests.withLock { $0.append(recorded) }
            guard let number = WantuWire.decodeObject(request.body)?["out_refund_no"]?.text else { return }
            refunds.numbers.withLock { $0.append(number) }
        }, logger: logs.logger())
    }

    func notification(paid amount: Money, signed: Bool) -> IncomingNotification {
        var object = fields(amount)
        object["trade_time"] = "2017-11-30 17:56:21"
        if signed { object["sign"] = WantuSignature.sign(object, key: Fixture.key) }
        return IncomingNotification(headers: [("Content-Type", "application/json")], body: body(object))
    }

    private func fields(_ amount: Money, order: String = Fixture.order) -> [String: String] {
        ["return_code": "200", "return_msg": "SUCCESS", "trade_status": "SUCCESS", "out_trade_no": order,
         "trade_id": "100020171130144813026280", "total_fee": String(amount.minorUnits), "fee_type": amount.currency.code,
         "refund_id": "RF1", "refund_fee": String(amount.minorUnits)]
    }

    private func signedPaid(_ amount: Money, key: String, order: String = Fixture.order) -> [UInt8] {
        var object = fields(amount, order: order)
        object["sign"] = WantuSignature.sign(object, key: key)
        return body(object)
    }

    private func body(_ object: [String: String]) -> [UInt8] {
        Array((try? JSONEncoder().encode(object)) ?? Data())
    }
}
