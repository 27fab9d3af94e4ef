import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Testing
import TestSupport

/// The aggregator against recorded answers: what it sends, and what each answer means.
@Suite struct AggregatorGatewayTests {
    let qr = QRPayRequest(orderID: try! OrderID(Recorded.order), amount: Recorded.amount, subject: "Lunch", wallet: .wechat)

    @Test func theUnifiedOrderIsASignedFormWithTheAmountInFen() async throws {
        let transport = RecordingTransport(script: [Recorded.answer("unified-success.json")])
        let creation = await Recorded.gateway(transport).createQR(qr)

        #expect(creation == .created(payload: "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j", gatewayOrderID: "A202612011730004095826222"))
        let request = try #require(transport.sent.first)
        #expect(request.url == "https://pay.example.cn/api/order/unified")
        #expect(request.method == "POST")
        #expect(request.headers.contains { $0.name == "Content-Type" && $0.value == "application/x-www-form-urlencoded" })
        let form = Recorded.form(request)
        #expect(form["amount"] == "60000")
        #expect(form["order_no"] == Recorded.order)
        #expect(form["bank_code"] == "912")
        #expect(form["appid"] == Recorded.appID)
        #expect(form["product_name"] == "Lunch")
        #expect(form["notify_url"] == "https://shop.example.cn/notify/aggregator")
        #expect(form["return_url"] == "https://shop.example.cn/")
        #expect(AggregatorSignature.verify(form, secret: Recorded.secret, form: .request))
        #expect(!String(decoding: request.body, as: UTF8.self).contains(Recorded.secret))
    }

    @Test func alipayUsesItsOwnBankCode() async {
        let transport = RecordingTransport(script: [Recorded.answer("unified-success.json")])
        var alipay = qr
        alipay.wallet = .alipay
        _ = await Recorded.gateway(transport).createQR(alipay)
        #expect(transport.sent.first.map(Recorded.form)?["bank_code"] == "911")
    }

    @Test func theTillsOrderNumbersHaveExactlyTheSeedsTwentyCharacters() async throws {
        let transport = RecordingTransport(script: [Recorded.answer("unified-success.json")])
        let gateway = Recorded.gateway(transport)
        // "字符长度20": exactly 20 or at most 20; 20 is both.
        #expect(gateway.orderNumberLength == 20)
        var generator = SystemRandomNumberGenerator()
        let id = OrderID.generate(localTimestamp: "261201173000", length: gateway.orderNumberLength, using: &generator)
        _ = await gateway.createQR(QRPayRequest(orderID: id, amount: Recorded.amount, subject: "", wallet: .wechat))
        let form = try #require(transport.sent.first.map(Recorded.form))
        #expect(form["order_no"] == id.rawValue)
        #expect(form["order_no"]?.count == 20)
        #expect(form["product_name"] == "Purchase")
    }

    @Test func aRefusedUnifiedOrderIsAConfigurationProblemInTheAggregatorsWords() async {
        let transport = RecordingTransport(script: [Recorded.answer("unified-refused.json")])
        let creation = await Recorded.gateway(transport).createQR(qr)
        #expect(creation == .failed(.rejected(GatewayProblem(code: "status 0", message: "签名错误"))))
    }

    @Test func anUnclearUnifiedOrderIsInDoubtAndAnUnreachableOneIsDeclined() async {
        for reply in [Recorded.answer("html-error.html", status: 502), .failure(.timedOut), Recorded.answer("unified-no-redirect.json")] {
            let creation = await Recorded.gateway(RecordingTransport(script: [reply])).createQR(qr)
            guard case .failed(.inDoubt) = creation else {
                Issue.record("\(reply) gave \(creation)")
                continue
            }
        }
        let unreachable = await Recorded.gateway(RecordingTransport(script: [.failure(.couldNotConnect("refused"))])).createQR(qr)
        guard case .failed(.declined(let decline)) = unreachable else { Issue.record("\(unreachable)"); return }
        #expect(decline.reason == .gatewayUnreachable)
    }

    @Test func anOrderInAnotherCurrencyIsRefusedBeforeAnythingIsSent() async {
        let transport = RecordingTransport(script: [Recorded.answer("unified-success.json")])
        var hkd = qr
        hkd.amount = Money(minorUnits: 60_000, currency: .hkd)
        guard case .failed(.rejected(let problem)) = await Recorded.gateway(transport).createQR(hkd) else {
            Issue.record("an HKD order was not refused")
            return
        }
        #expect(problem.message.contains("CNY"))
        #expect(transport.sent.isEmpty)
    }

    @Test func checkOrderIsASignedGetWithAppIDAndOrderNumber() async throws {
        let transport = RecordingTransport(script: [Recorded.answer("check-order-paying.json")])
        #expect(await Recorded.gateway(transport).query(Recorded.reference) == .notPaid)
        let request = try #require(transport.sent.first)
        #expect(request.method == "GET")
        #expect(request.url.hasPrefix("https://pay.example.cn/api/order/check_order?"))
        #expect(request.body.isEmpty)
        let form = Recorded.form(request)
        #expect(Set(form.keys) == ["appid", "order_no", "sign"])
        #expect(AggregatorSignature.verify(form, secret: Recorded.secret, form: .request))
    }

    @Test func paidOverHTTPSIsBelievedInBothAmountForms() async {
        for fixture in ["check-order-paid.json", "check-order-paid-integer.json"] {
            let verdict = await Recorded.gateway(RecordingTransport(script: [Recorded.answer(fixture)])).query(Recorded.reference)
            #expect(verdict == .paid(PaymentConfirmation(gatewayTradeID: "A202612011730004095826222", amount: Recorded.amount,
                                                        paidAt: "2026-12-01 17:30:21")), "\(fixture)")
        }
    }

    @Test func withoutAPlatformNumberThePaymentKeepsTheOneTheOrderWasGiven() async throws {
        let answer = String(decoding: Recorded.bytes("check-order-paid.json"), as: UTF8.self)
            .replacingOccurrences(of: #""platform_order_no":"A202612011730004095826222","#, with: "")
        #expect(!answer.contains("platform_order_no"))
        var order = Recorded.reference
        order.gatewayTradeID = "A202612011730009999999999"
        let transport = RecordingTransport(script: [.success(HTTPResponse(status: 200, body: Array(answer.utf8)))])
        guard case .paid(let confirmation) = await Recorded.gateway(transport).query(order) else {
            Issue.record("not paid")
            return
        }
        #expect(confirmation.gatewayTradeID == "A202612011730009999999999")
    }

    @Test func paidOverLoopbackIsBelievedAsTheSandboxIs() async {
        let transport = RecordingTransport(script: [Recorded.answer("check-order-paid.json")])
        guard case .paid = await Recorded.gateway(transport, baseURL: "http://127.0.0.1:8765/aggregator").query(Recorded.reference) else {
            Issue.record("a paid answer from this machine was not believed")
            return
        }
    }

    @Test func paidOverPlainHTTPWaitsForTheSignedCallback() async {
        let transport = RecordingTransport(script: [Recorded.answer("check-order-paid.json")])
        let verdict = await Recorded.gateway(transport, baseURL: "http://pay.example.cn").query(Recorded.reference)
        guard case .inDoubt(let why) = verdict else {
            Issue.record("paid over plain http gave \(verdict)")
            return
        }
        #expect(why.contains("waiting for its signed callback"), "\(why)")
    }

    /// pay_status 0: 交易失败 in the seed's table, a fresh unpaid order in its own check_order
    /// example. Over any channel it is in doubt and says so, so the till keeps the QR code up.
    @Test func payStatusZeroIsReportedFailedSoFarNeverADeclineOverAnyChannel() async {
        for baseURL in ["https://pay.example.cn", "http://127.0.0.1:8765/aggregator", "http://pay.example.cn"] {
            let transport = RecordingTransport(script: [Recorded.answer("check-order-failed.json")])
            let verdict = await Recorded.gateway(transport, baseURL: baseURL).query(Recorded.reference)
            guard case .inDoubt(let why) = verdict else {
                Issue.record("pay_status 0 from \(baseURL) gave \(verdict)")
                continue
            }
            #expect(verdict.cashierWords.contains("reports the payment as failed so far (pay_status 0)"), "\(why)")
            #expect(verdict.cashierWords.contains("the customer may still pay"), "\(why)")
        }
    }

    @Test func aUnifiedOrderSayingPayStatusZeroShowsItsCodeOverAnyChannel() async {
        for baseURL in ["https://pay.example.cn", "http://pay.example.cn"] {
            let transport = RecordingTransport(script: [Recorded.answer("unified-pay-status-0.json")])
            let creation = await Recorded.gateway(transport, baseURL: baseURL).createQR(qr)
            #expect(creation == .created(payload: "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j", gatewayOrderID: "A202612011730004095826222"),
                    "\(baseURL)")
        }
        // Without a code to show it is in doubt, as any unified order without one is: never declined.
        let bare = String(decoding: Recorded.bytes("unified-no-redirect.json"), as: UTF8.self)
            .replacingOccurrences(of: #""pay_status":-1"#, with: #""pay_status":0"#)
        let transport = RecordingTransport(script: [.success(HTTPResponse(status: 200, body: Array(bare.utf8)))])
        guard case .failed(.inDoubt) = await Recorded.gateway(transport).createQR(qr) else {
            Issue.record("a unified order with pay_status 0 and no redirect_url was not in doubt")
            return
        }
    }

    @Test func aYuanLookingAmountIsNotBelievedAsPaid() async {
        let verdict = await Recorded.gateway(RecordingTransport(script: [Recorded.answer("check-order-paid-yuan.json")])).query(Recorded.reference)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("600.00"), "\(why)")
    }

    @Test func aPaidAnswerForAnotherAmountIsReportedWithThatAmount() async {
        // CNY 6.00 ordered, the recorded answer says 60000 fen: the checkout sees the difference.
        var small = Recorded.reference
        small.amount = Money(minorUnits: 600, currency: .cny)
        let verdict = await Recorded.gateway(RecordingTransport(script: [Recorded.answer("check-order-paid.json")])).query(small)
        guard case .paid(let confirmation) = verdict else { Issue.record("\(verdict)"); return }
        #expect(confirmation.amount == Recorded.amount)
    }

    @Test func theSeedsQueryExampleAFreshOrderWithPayStatusZeroIsNotDeclined() async throws {
        let order = OrderReference(orderID: try OrderID("KFAIu2019082016542198098089614"), wallet: .alipay, amount: Recorded.amount)
        let verdict = await Recorded.gateway(RecordingTransport(script: [Recorded.answer("check-order-seed-example.json")])).query(order)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("failed so far"), "\(why)")
    }

    @Test func anAnswerAboutAnotherOrderOrAnUnclearOneIsInDoubt() async throws {
        let other = OrderReference(orderID: try OrderID("S261201173000ZZZZZZ"), wallet: .wechat, amount: Recorded.amount)
        for (reply, order) in [(Recorded.answer("check-order-paid.json"), other),
                               (Recorded.answer("check-order-not-found.json"), Recorded.reference),
                               (Recorded.answer("html-error.html", status: 500), Recorded.reference),
                               (Recorded.answer("html-error.html"), Recorded.reference),
                               (.failure(.timedOut), Recorded.reference)] {
            let verdict = await Recorded.gateway(RecordingTransport(script: [reply])).query(order)
            guard case .inDoubt = verdict else {
                Issue.record("\(reply) gave \(verdict)")
                continue
            }
        }
    }

    @Test func theLogNamesTheOrderButNeverTheSecretOrTheSignature() async throws {
        let logs = CapturedLogs()
        let transport = RecordingTransport(script: [Recorded.answer("unified-success.json"), Recorded.answer("check-order-paid.json")])
        let gateway = Recorded.gateway(transport, logs: logs)
        _ = await gateway.createQR(qr)
        _ = await gateway.query(Recorded.reference)
        #expect(logs.text.contains(Recorded.order))
        #expect(!logs.text.contains(Recorded.secret))
        let sign = try #require(Recorded.form(transport.sent[0])["sign"])
        #expect(!logs.text.contains(sign))
    }

    @Test func theGatewayOffersQROrdersQueriesAndCallbacksOnly() {
        let gateway = Recorded.gateway(RecordingTransport(script: []))
        #expect(gateway.capabilities == [.qrPay, .query, .notifications])
        #expect(gateway.wallets(for: .scan).isEmpty)
        #expect(gateway.wallets(for: .qr) == Wallet.allCases)
        #expect(gateway.refundAdvice == "refund this order in the aggregator's merchant back office")
    }
}
