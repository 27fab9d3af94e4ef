import CheckoutCore
import Foundation
import HTTPTransport
import Testing
import TestSupport
import WantuGateway

func makeGateway(_ transport: ScriptedTransport, logs: CapturedLogs = CapturedLogs()) -> WantuGateway {
    let account = WantuAccount(
        baseURL: "https://sandbox-merchants.wantu.cn/paygate/", merchantAccount: "HKG1449074190", storeAccount: "HKG1831455570",
        key: Fixture.key, notifyURL: "https://shop.example/notify", deviceSN: "till-1", currency: .hkd,
        timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
    // 2017-11-29 04:33:54 UTC is 12:33:54 in Hong Kong.
    return WantuGateway(account: account, transport: transport, now: { Date(timeIntervalSince1970: 1_511_930_034) }, logger: logs.logger())
}

let order = try! OrderID(Fixture.order)
let hkd1230 = Money(minorUnits: 1230, currency: .hkd)
let weChatCode = try! PaymentCode(scanned: "134674074004982976")
let payRequest = BarcodePayRequest(orderID: order, amount: hkd1230, subject: "Coffee", code: weChatCode)
let reference = OrderReference(orderID: order, wallet: .wechat, amount: hkd1230)

@Suite("Wantu gateway: requests, and what each answer means")
struct WantuGatewayTests {
    @Test func pospayRequestCarriesSignedCommonAndBusinessParameters() async throws {
        let transport = ScriptedTransport(fixtures: "pospay-success.json")
        _ = await makeGateway(transport).pay(payRequest)
        let request = try #require(transport.sent.first)
        #expect(request.url == "https://sandbox-merchants.wantu.cn/paygate/pospay")
        #expect(request.method == "POST")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value.hasPrefix("application/json") })
        let p = transport.parameters(0)
        #expect(p["merchant_account"] == "HKG1449074190")
        #expect(p["store_account"] == "HKG1831455570")
        #expect(p["pay_channel"] == "1")
        #expect(p["version"] == "1.0")
        #expect(p["send_time"] == "2017-11-29 12:33:54")
        #expect(p["total_fee"] == "1230")
        #expect(p["fee_type"] == "HKD")
        #expect(p["auth_code"] == "134674074004982976")
        #expect(p["out_trade_no"] == Fixture.order)
        #expect(p["notify_url"] == "https://shop.example/notify")
        #expect(p["device_sn"] == "till-1")
        #expect(WantuSignature.verify(p, key: Fixture.key))
        #expect(!request.url.contains(Fixture.key))
        #expect(!String(decoding: request.body, as: UTF8.self).contains(Fixture.key))
    }

    @Test func alipayCodesGoToChannelTwo() async throws {
        let transport = ScriptedTransport(fixtures: "pospay-success.json")
        let code = try PaymentCode(scanned: "281234567890123456")
        _ = await makeGateway(transport).pay(BarcodePayRequest(orderID: order, amount: hkd1230, subject: "x", code: code))
        #expect(transport.parameters(0)["pay_channel"] == "2")
    }

    @Test func aSignedSuccessIsPaid() async {
        for fixture in ["pospay-success.json", "pospay-success-string-codes.json"] {
            let verdict = await makeGateway(ScriptedTransport(fixtures: fixture)).pay(payRequest)
            #expect(verdict == .paid(PaymentConfirmation(gatewayTradeID: "100020171129123354091820", amount: hkd1230, paidAt: "2017-11-29 12:34:02")))
        }
    }

    @Test(arguments: [
        ("error-not-enough.json", DeclineReason.insufficientFunds),
        ("error-auth-code-invalid.json", .codeInvalid),
        ("error-auth-code-expired.json", .codeExpired),
        ("error-not-support-card.json", .cardNotSupported),
        ("error-bank-error.json", .bankError),
        ("error-trade-error.json", .tradeError),
        ("error-unsupported-currency.json", .unsupportedCurrency),
        ("error-order-invalid.json", .orderInvalid),
    ])
    func clearRefusalsAreDeclinedWithAReason(fixture: String, reason: DeclineReason) async {
        let verdict = await makeGateway(ScriptedTransport(fixtures: fixture)).pay(payRequest)
        guard case .declined(let decline) = verdict else { Issue.record("\(fixture): \(verdict)"); return }
        #expect(decline.reason == reason)
    }

    @Test(arguments: ["error-sign-error.json", "error-no-privilege.json", "error-param-missing.json", "error-param-error.json", "error-data-format-error.json"])
    func configurationProblemsAreRejections(fixture: String) async {
        let verdict = await makeGateway(ScriptedTransport(fixtures: fixture)).pay(payRequest)
        guard case .rejected(let problem) = verdict else { Issue.record("\(fixture): \(verdict)"); return }
        #expect(problem.description.contains("configuration"))
    }

    @Test func userPayingIsUserPaying() async {
        #expect(await makeGateway(ScriptedTransport(fixtures: "error-user-paying.json")).pay(payRequest) == .userPaying)
    }

    @Test(arguments: ["error-system-error.json", "error-out-trade-no-used.json", "error-order-paid.json",
                      "pospay-bad-signature.json", "pospay-unsigned.json", "html-error.html", "truncated.json"])
    func unclearAnswersAreInDoubtNeverPaidOrDeclined(fixture: String) async {
        let verdict = await makeGateway(ScriptedTransport(fixtures: fixture)).pay(payRequest)
        guard case .inDoubt = verdict else { Issue.record("\(fixture): \(verdict)"); return }
    }

    @Test func serverErrorsAndTimeoutsAreInDoubt() async {
        let cases: [Result<HTTPResponse, TransportError>] = [
            .success(HTTPResponse(status: 502, body: Fixture.bytes("html-error.html"))),
            .success(HTTPResponse(status: 500, body: Fixture.bytes("pospay-success.json"))),
            .failure(.timedOut),
            .failure(.failed("connection reset")),
        ]
        for reply in cases {
            let verdict = await makeGateway(ScriptedTransport([reply])).pay(payRequest)
            guard case .inDoubt = verdict else { Issue.record("\(reply): \(verdict)"); continue }
        }
    }

    @Test func aRequestThatNeverLeftIsCertainlyNotCharged() async {
        let verdict = await makeGateway(ScriptedTransport([.failure(.couldNotConnect("connection refused"))])).pay(payRequest)
        guard case .declined(let decline) = verdict else { Issue.record("\(verdict)"); return }
        #expect(decline.reason == .gatewayUnreachable)
    }

    @Test func queryAnswers() async {
        let cases: [(String, PaymentVerdict)] = [
            ("query-success.json", .paid(PaymentConfirmation(gatewayTradeID: "100020171129123354091820", amount: hkd1230, paidAt: "2017-11-29 12:34:02"))),
            ("query-not-pay.json", .notPaid),
            ("query-pay-error.json", .declined(Decline(.paymentFailed, gatewayMessage: "PAY_EEROR"))),
            ("error-order-invalid.json", .notFound),
            ("error-user-paying.json", .userPaying),
            // Paid for another amount: reported as it is; the checkout refuses to believe it.
            ("query-success-other-amount.json", .paid(PaymentConfirmation(gatewayTradeID: "100020171129123354091820", amount: Money(minorUnits: 123, currency: .hkd), paidAt: "2017-11-29 12:34:02"))),
        ]
        for (fixture, expected) in cases {
            let transport = ScriptedTransport(fixtures: fixture)
            #expect(await makeGateway(transport).query(reference) == expected, "\(fixture)")
            #expect(transport.parameters(0)["out_trade_no"] == Fixture.order)
            #expect(transport.parameters(0)["auth_code"] == nil)
        }
    }

    @Test func cancelAnswers() async {
        let cases: [(Result<HTTPResponse, TransportError>, CancelVerdict)] = [
            (.success(HTTPResponse(status: 200, body: Fixture.bytes("cancel-success.json"))), .cancelled),
            (.success(HTTPResponse(status: 200, body: Fixture.bytes("error-order-paid.json"))), .alreadyPaid),
            (.success(HTTPResponse(status: 200, body: Fixture.bytes("error-user-paying.json"))), .failed("the customer is still confirming the payment")),
            (.failure(.timedOut), .failed(TransportError.timedOut.description)),
        ]
        for (reply, expected) in cases {
            let transport = ScriptedTransport([reply])
            #expect(await makeGateway(transport).cancel(reference) == expected)
            #expect(transport.sent.first?.url.hasSuffix("/cancel") == true)
        }
        let refused = await makeGateway(ScriptedTransport(fixtures: "error-sign-error.json")).cancel(reference)
        guard case .rejected = refused else { Issue.record("\(refused)"); return }
        let badSignature = await makeGateway(ScriptedTransport(fixtures: "pospay-bad-signature.json")).close(reference)
        guard case .failed = badSignature else { Issue.record("\(badSignature)"); return }
    }

    @Test func qrCreationGivesThePayload() async {
        let transport = ScriptedTransport(fixtures: "create-qrcode-success.json")
        let creation = await makeGateway(transport).createQR(QRPayRequest(orderID: order, amount: hkd1230, subject: "Tea", wallet: .alipay))
        #expect(creation == .created(payload: "weixin://wxpay/bizpayurl?pr=fJkMvo1", gatewayOrderID: "100020171130120038029905"))
        #expect(transport.sent.first?.url.hasSuffix("/create-qrcode") == true)
        #expect(transport.parameters(0)["pay_channel"] == "2")
        #expect(transport.parameters(0)["product_id"] != nil)
    }

    @Test func refundsReuseTheirNumberOnEveryRetry() async {
        let transport = ScriptedTransport([.failure(.timedOut), .success(HTTPResponse(status: 200, body: Fixture.bytes("refund-success.json")))])
        let gateway = makeGateway(transport)
        let request = RefundRequest(order: reference, refundID: RefundID(order: order, sequence: 1), amount: Money(minorUnits: 500, currency: .hkd), reason: "broken cup")
        #expect(await gateway.refund(request) == .inDoubt(TransportError.timedOut.description))
        #expect(await gateway.refund(request) == .refunded(gatewayRefundID: "100020171129124053091020_0"))
        #expect(transport.parameters(0)["out_refund_no"] == "\(Fixture.order)R1")
        #expect(transport.parameters(1)["out_refund_no"] == "\(Fixture.order)R1")
        #expect(transport.parameters(0)["refund_fee"] == "500")
        #expect(transport.parameters(0)["total_fee"] == "1230")
        #expect(transport.parameters(0)["refund_fee_type"] == "HKD")
        let refused = await makeGateway(ScriptedTransport(fixtures: "error-refund-error.json")).refund(request)
        guard case .declined = refused else { Issue.record("\(refused)"); return }
    }

    @Test func orderListReadsMajorUnitsExactly() async throws {
        let transport = ScriptedTransport(fixtures: "order-list.json", "order-list.json")
        let start = Date(timeIntervalSince1970: 1_520_438_400)  // 2018-03-08 00:00 HKT
        let lines = try await makeGateway(transport).transactions(from: start, to: start.addingTimeInterval(86_399))
        #expect(lines.count == 2)  // both wallets list the same two lines: kept once
        #expect(lines[0].kind == .payment && lines[0].amount == Money(minorUnits: 10, currency: .hkd))
        #expect(lines[1].kind == .refund && lines[1].amount == Money(minorUnits: 7910, currency: .hkd))
        #expect(lines[1].refundID == "S180308152252011294R1")
        #expect(transport.parameters(0)["start_date"] == "2018-03-08 00:00:00")
        #expect(transport.parameters(0)["end_date"] == "2018-03-08 23:59:59")
    }

    @Test func longRangesAreSplitIntoSevenDayWindows() async throws {
        let start = Date(timeIntervalSince1970: 1_520_438_400)
        let end = start.addingTimeInterval(20 * 86_400 - 1)  // 20 days
        let replies = (0..<6).map { _ in Result<HTTPResponse, TransportError>.success(HTTPResponse(status: 200, body: Fixture.bytes("order-list.json"))) }
        let transport = ScriptedTransport(replies)
        _ = try await makeGateway(transport).transactions(from: start, to: end)
        #expect(transport.sent.count == 6)  // 3 windows × 2 wallets
        let windows = stride(from: 0, to: 6, by: 2).map { (transport.parameters($0)["start_date"]!, transport.parameters($0)["end_date"]!) }
        #expect(windows.map(\.0) == ["2018-03-08 00:00:00", "2018-03-15 00:00:00", "2018-03-22 00:00:00"])
        #expect(windows.map(\.1) == ["2018-03-14 23:59:59", "2018-03-21 23:59:59", "2018-03-27 23:59:59"])
    }

    @Test func exchangeRate() async throws {
        let rate = try await makeGateway(ScriptedTransport(fixtures: "currency.json")).exchangeRate(for: .hkd)
        #expect(rate.decimalString == "0.87080000")
        await #expect(throws: GatewayError.self) { try await makeGateway(ScriptedTransport(fixtures: "pospay-bad-signature.json")).exchangeRate(for: .hkd) }
    }

    @Test func notificationsAreBelievedOnlyWhenSigned() throws {
        let gateway = makeGateway(ScriptedTransport([]))
        let paid = gateway.verifyNotification(IncomingNotification(headers: [("Content-Type", "application/json")], body: Fixture.bytes("notification-paid.json")))
        #expect(paid == .payment(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: "100020171130144813026280", amount: hkd1230, paidAt: "2017-11-30 17:56:21"))))
        let forged = gateway.verifyNotification(IncomingNotification(headers: [("Content-Type", "application/json")], body: Fixture.bytes("notification-forged.json")))
        guard case .forged = forged else { Issue.record("\(forged)"); return }
        let garbage = gateway.verifyNotification(IncomingNotification(body: Array("<xml/>".utf8)))
        guard case .malformed = garbage else { Issue.record("\(garbage)"); return }
    }

    @Test func theRepliesAreTheOnesWantuDocuments() {
        let gateway = makeGateway(ScriptedTransport([]))
        let handled = gateway.notificationReply(handled: true, reason: nil)
        #expect(handled.status == 200)
        #expect(String(decoding: handled.body, as: UTF8.self) == #"{"return_code":"SUCCESS"}"#)
        let refused = gateway.notificationReply(handled: false, reason: "unknown order")
        #expect(String(decoding: refused.body, as: UTF8.self) == #"{"return_code":"FAIL","return_msg":"unknown order"}"#)
    }

    @Test func ambiguousOrBrokenBodiesAreMalformedEvenWhenSigned() {
        let gateway = makeGateway(ScriptedTransport([]))
        var fields = ["return_code": "200", "trade_status": "SUCCESS", "out_trade_no": Fixture.order, "trade_id": "T1", "total_fee": "1230", "fee_type": "HKD"]
        fields["sign"] = WantuSignature.sign(fields, key: Fixture.key)
        let signed = fields.sorted { $0.key < $1.key }.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",")
        let cases: [(String, [UInt8])] = [
            ("a key given twice", Array(#"{\#(signed),"total_fee":"1"}"#.utf8)),
            ("truncated", Array("{\(signed)".utf8)),
            ("not UTF-8", Array(#"{\#(signed),"subject":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)),
            ("a form naming a field twice", Array("total_fee=1230&total_fee=1".utf8)),
        ]
        for (what, body) in cases {
            let verdict = gateway.verifyNotification(IncomingNotification(body: body))
            guard case .malformed = verdict else { Issue.record("\(what): \(verdict)"); continue }
        }
        // A huge amount, correctly signed, is not money: refused rather than rounded.
        var huge = fields
        huge["total_fee"] = "123000000000000000000000"
        huge["sign"] = WantuSignature.sign(huge.filter { $0.key != "sign" }, key: Fixture.key)
        let body = "{" + huge.map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",") + "}"
        guard case .malformed = gateway.verifyNotification(IncomingNotification(body: Array(body.utf8))) else {
            Issue.record("a 24-digit total_fee was believed"); return
        }
        // The untouched original is believed, so the refusals above are about the bodies alone.
        #expect(gateway.verifyNotification(IncomingNotification(body: Array("{\(signed)}".utf8)))
                == .payment(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: "T1", amount: hkd1230))))
    }

    @Test func aFormEncodedNotificationIsVerifiedToo() throws {
        var fields = ["return_code": "200", "trade_status": "SUCCESS", "out_trade_no": Fixture.order, "trade_id": "T1", "total_fee": "1230", "fee_type": "HKD", "subject": "咖啡 & 茶"]
        fields["sign"] = WantuSignature.sign(fields, key: Fixture.key)
        let allowed = CharacterSet.alphanumerics
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        let verdict = makeGateway(ScriptedTransport([])).verifyNotification(IncomingNotification(headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
        #expect(verdict == .payment(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: "T1", amount: hkd1230))))
    }

    @Test func neitherTheKeyNorTheFullCodeReachesTheLogsOrTheVerdicts() async {
        let logs = CapturedLogs()
        let transport = ScriptedTransport(fixtures: "pospay-success.json", "error-sign-error.json", "pospay-bad-signature.json")
        let gateway = makeGateway(transport, logs: logs)
        var texts: [String] = []
        for _ in 0..<3 { texts.append("\(await gateway.pay(payRequest))") }
        #expect(!logs.text.isEmpty)
        for text in texts + [logs.text] {
            #expect(!text.contains(Fixture.key))
            #expect(!text.contains("134674074004982976"))
        }
    }
}

@Suite("Wantu gateway: the subject Wantu requires")
struct WantuSubjectTests {
    @Test func anEmptySubjectIsSentAsPurchaseAndALongOneIsCut() async throws {
        let transport = ScriptedTransport(fixtures: "pospay-success.json", "pospay-success.json")
        let gateway = makeGateway(transport)
        _ = await gateway.pay(BarcodePayRequest(orderID: order, amount: hkd1230, subject: "  ", code: weChatCode))
        _ = await gateway.pay(BarcodePayRequest(orderID: order, amount: hkd1230, subject: String(repeating: "茶", count: 200), code: weChatCode))
        #expect(transport.parameters(0)["subject"] == "Purchase")
        #expect(transport.parameters(1)["subject"]?.count == 128)
    }
}
