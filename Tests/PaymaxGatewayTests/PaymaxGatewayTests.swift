import CheckoutCore
import Foundation
import HTTPTransport
@testable import PaymaxGateway
import Signing
import Testing

/// The gateway against answers recorded in Fixtures/ (signed by make-fixtures.py).
@Suite struct PaymaxGatewayTests {
    let qr = QRPayRequest(orderID: try! OrderID(Recorded.order), amount: Recorded.amount, subject: "Fixture sale", wallet: .alipay)

    @Test func aChargeIsSignedAsPaymaxsSDKsSignAndItsURLCredentialIsTheQR() async throws {
        let transport = ScriptedTransport(recorded: "charge-created")
        let creation = await Recorded.gateway(transport).createQR(qr)
        #expect(creation == .created(payload: "https://mapi.alipay.com/gateway.do?_input_charset=utf-8&out_trade_no=\(Recorded.charge)",
                                     gatewayOrderID: Recorded.charge))
        let request = try #require(transport.sent.first)
        #expect(request.method == "POST" && request.url == "https://www.paymax.cc/merchant-api/v1/charges")
        #expect(request.header("Authorization") == Recorded.secret)
        let expires = Int64(Recorded.now.timeIntervalSince1970 * 1000) + 180_000
        #expect(request.bodyText == #"{"order_no":"S261122101010ABCDEF","amount":12.30,"subject":"Fixture sale","body":"Fixture sale (order S261122101010ABCDEF)","channel":"alipay_web","app":"app_fixture","client_ip":"127.0.0.1","time_expire":\#(expires),"currency":"cny","extra":{"return_url":"https://shop.example/paid"}}"#)
        // The merchant's public half verifies the composed string the request carries.
        let nonce = try #require(request.header("nonce")), timestamp = try #require(request.header("timestamp"))
        let text = Array("post\n/v1/charges\n\n\(nonce)\n\(timestamp)\n\(Recorded.secret)\n".utf8) + request.body
        #expect(try Recorded.merchantKey.publicKey().verifySHA1(base64Signature: request.header("sign") ?? "", message: text))
        #expect(timestamp == String(Int64(Recorded.now.timeIntervalSince1970 * 1000)))
    }

    @Test func amountsCrossTheEdgeAsYuanDigitsNeverThroughADouble() {
        #expect(PaymaxAmount.yuan(Money(minorUnits: 29, currency: .cny)) == "0.29")
        #expect(PaymaxAmount.yuan(Money(minorUnits: 100_000_000_07, currency: .cny)) == "100000000.07")
        #expect(PaymaxAmount.money("0.29")?.minorUnits == 29)
        #expect(PaymaxAmount.money("12.3")?.minorUnits == 1230)
        #expect(PaymaxAmount.money("12.300")?.minorUnits == 1230)
        #expect(PaymaxAmount.money("7")?.minorUnits == 700)
        #expect(PaymaxAmount.money("0")?.minorUnits == 0)  // amount_refunded is often zero
        for unreadable in ["12.301", "-1", "1e2", "", ".5", "12."] { #expect(PaymaxAmount.money(unreadable) == nil, "\(unreadable)") }
    }

    @Test func theTillsOrderNumbersFitPaymaxsEightToTwentyLettersAndDigits() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = OrderID.generate(localTimestamp: "261201173000", using: &generator).rawValue
            #expect((8...20).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(id)")
        }
    }

    @Test(arguments: [
        ("charge-succeeded", "paid"), ("charge-processing", "not paid"), ("charge-failed", "declined"),
    ])
    func aVerifiedChargeSaysWhereTheOrderStands(fixture: String, words: String) async {
        let verdict = await Recorded.gateway(ScriptedTransport(recorded: fixture)).query(Recorded.reference)
        #expect(verdict.logWords.hasPrefix(words), "\(verdict)")
        if case .paid(let confirmation) = verdict {
            #expect(confirmation == PaymentConfirmation(gatewayTradeID: Recorded.charge, amount: Recorded.amount, paidAt: "1764590399000"))
        }
    }

    @Test(arguments: ["charge-succeeded-stale", "charge-succeeded-other-key", "charge-succeeded-other-amount"])
    func aPaidAnswerThatFailsACheckIsInDoubt(fixture: String) async {
        let verdict = await Recorded.gateway(ScriptedTransport(recorded: fixture)).query(Recorded.reference)
        guard case .inDoubt = verdict else { Issue.record("\(fixture) gave \(verdict)"); return }
    }

    @Test func anAnswerFromTwoMinutesInTheFutureIsAsStaleAsOneFromThePast() async {
        let early = Recorded.now.addingTimeInterval(-121)
        let verdict = await Recorded.gateway(ScriptedTransport(recorded: "charge-succeeded"), now: early).query(Recorded.reference)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("stale"))
        // Within 120 s it is believed.
        let close = await Recorded.gateway(ScriptedTransport(recorded: "charge-succeeded"), now: Recorded.now.addingTimeInterval(119)).query(Recorded.reference)
        #expect(close.logWords.hasPrefix("paid"))
    }

    @Test func aTamperedOrUnsignedAnswerIsInDoubtNeverPaid() async {
        var tampered = Recorded.response("charge-processing")
        tampered.body = Array(tampered.bodyText.replacingOccurrences(of: "PROCESSING", with: "SUCCEED").utf8)
        var unsigned = Recorded.response("charge-succeeded")
        unsigned.headers["sign"] = nil
        for response in [tampered, unsigned, HTTPResponse(status: 500, body: Array("<html>oops</html>".utf8))] {
            let verdict = await Recorded.gateway(ScriptedTransport([.success(response)])).query(Recorded.reference)
            guard case .inDoubt = verdict else { Issue.record("\(verdict)"); continue }
        }
    }

    @Test func refusalsAreWordedForTheCashierAndUnknownCodesShownAsTheyCame() async {
        let duplicate = await Recorded.gateway(ScriptedTransport(recorded: "charge-duplicate")).createQR(qr)
        guard case .failed(.inDoubt(let why)) = duplicate else { Issue.record("\(duplicate)"); return }
        #expect(why.contains("already has this order number") && why.contains("ORDER_NO_DUPLICATE"))

        let configuration = await Recorded.gateway(ScriptedTransport(recorded: "charge-bad-sign-config")).createQR(qr)
        guard case .failed(.rejected(let problem)) = configuration else { Issue.record("\(configuration)"); return }
        #expect(problem.code == "ILLEGAL_SIGN" && problem.message.contains("[providers.paymax]"))

        let unknown = await Recorded.gateway(ScriptedTransport(recorded: "charge-unknown-code")).createQR(qr)
        guard case .failed(.inDoubt(let words)) = unknown else { Issue.record("\(unknown)"); return }
        #expect(words.contains("GATEWAY_BUSY_7: try later"))
    }

    /// A `wechat_csb` sale of the fixtures' order, by a gateway whose account offers that channel.
    func wechatSale(_ transport: ScriptedTransport, extra: [String: String] = [:]) async -> QRCreation {
        var account = Recorded.account(channels: ["wechat_csb"])
        account.extra = extra
        let gateway = PaymaxGateway(account: account, transport: transport, now: { Recorded.now })
        return await gateway.createQR(QRPayRequest(orderID: qr.orderID, amount: qr.amount, subject: "Fixture sale", wallet: .wechat))
    }

    @Test func aParameterRefusalNamingAnExtraFieldSaysWhichSettingSuppliesIt() async {
        let creation = await wechatSale(ScriptedTransport(recorded: "charge-missing-open-id"))
        guard case .failed(.rejected(let problem)) = creation else { Issue.record("\(creation)"); return }
        #expect(problem.code == "PARAM_ERROR" && problem.message.contains("set open_id = ") && problem.message.contains("[providers.paymax]"),
                "\(problem.message)")
    }

    /// The charge may exist at Paymax: it must be settled (asked about, closed), never dropped as
    /// a settings problem because the refusal's words happen to name a field.
    @Test(arguments: ["charge-duplicate-naming-open-id", "charge-unknown-code-naming-user-id"])
    func aRefusalInDoubtStaysInDoubtWhateverFieldItNames(fixture: String) async {
        let creation = await wechatSale(ScriptedTransport(recorded: fixture))
        guard case .failed(.inDoubt(let why)) = creation else { Issue.record("\(fixture) gave \(creation)"); return }
        #expect(!why.contains("[providers.paymax]"), "\(why)")
    }

    @Test func wechatCSBsCodeIsReadFromQRCodeOnly() async {
        let created = await wechatSale(ScriptedTransport(recorded: "charge-created-wechat-csb"), extra: ["open_id": "o8Bq-0abcdef"])
        #expect(created == .created(payload: "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j", gatewayOrderID: Recorded.charge))
        // Under any other key (no document shows one) it is not a code to draw.
        let other = await wechatSale(ScriptedTransport(recorded: "charge-created-wechat-csb-url-only"))
        guard case .failed(.inDoubt(let why)) = other else { Issue.record("\(other)"); return }
        #expect(why.contains("no credential"), "\(why)")
    }

    @Test func anUnsignedRefusalIsInDoubtButSaysWhatItClaims() async {
        let refusal = HTTPResponse(status: 401, body: Array(#"{"failure_code":"ILLEGAL_SIGN","failure_msg":"sign verify failed"}"#.utf8))
        let creation = await Recorded.gateway(ScriptedTransport([.success(refusal)])).createQR(qr)
        guard case .failed(.inDoubt(let why)) = creation else { Issue.record("\(creation)"); return }
        #expect(why.contains("not signed") && why.contains("ILLEGAL_SIGN: sign verify failed") && why.contains("[providers.paymax]"))
    }

    @Test func aChannelThatIsNotConfiguredIsNotOffered() async {
        let gateway = Recorded.gateway(ScriptedTransport([]))
        #expect(gateway.wallets(for: .qr) == [.alipay])
        #expect(gateway.wallets(for: .scan).isEmpty)
        let wechat = await gateway.createQR(QRPayRequest(orderID: qr.orderID, amount: qr.amount, subject: "x", wallet: .wechat))
        #expect(wechat == .failed(.rejected(.unsupported)))
    }

    // MARK: Refunds

    var refundRequest: RefundRequest {
        RefundRequest(order: Recorded.reference, refundID: RefundID(order: try! OrderID(Recorded.order), sequence: 1),
                      amount: Recorded.amount, reason: "damaged")
    }

    @Test func aRetriedRefundWhoseAnswerWasLostIsFoundOnTheChargeAndNotSentAgain() async {
        let transport = ScriptedTransport(recorded: "charge-paid-refund-made")
        let verdict = await Recorded.gateway(transport).refund(refundRequest)
        #expect(verdict == .refunded(gatewayRefundID: "re_06cfeewewe4dc14de10fe0a"))
        #expect(transport.sent.map(\.method) == ["GET"])
        #expect(transport.sent.first?.url == "https://www.paymax.cc/merchant-api/v1/charges/\(Recorded.charge)")
    }

    @Test func aNewRefundCarriesOurNumberAndAnAlipayConfirmationURLIsKept() async throws {
        let transport = ScriptedTransport(recorded: "charge-paid-no-refunds", "refund-processing-alipay")
        let verdict = await Recorded.gateway(transport).refund(refundRequest)
        #expect(verdict == .processing(gatewayRefundID: "re_06cfeewewe4dc14de10fe0a",
                                       confirmationURL: "https://mapi.alipay.com/gateway.do?service=refund_fastpay_by_platform_pwd&sign=251af6477b"))
        let post = try #require(transport.sent.last)
        #expect(post.url.hasSuffix("/v1/charges/\(Recorded.charge)/refunds"))
        #expect(post.bodyText == #"{"amount":12.30,"description":"Refund S261122101010ABCDEFR1: damaged","metadata":{"refund_no":"S261122101010ABCDEFR1"}}"#)
    }

    @Test func onlyOneRefundMayBeProcessingPerCharge() async {
        let seen = ScriptedTransport(recorded: "charge-paid-other-refund-processing")
        guard case .declined(let why) = await Recorded.gateway(seen).refund(refundRequest) else { Issue.record("not declined"); return }
        #expect(why.contains("MULTI_REFUND_RECORDS") && seen.sent.count == 1)

        let answered = ScriptedTransport(recorded: "charge-paid-no-refunds", "refund-multi")
        guard case .declined(let words) = await Recorded.gateway(answered).refund(refundRequest) else { Issue.record("not declined"); return }
        #expect(words.contains("still processing an earlier refund"))
    }

    @Test func aRefundIsNeverPostedBlindWhenTheChargeCannotBeRead() async {
        let transport = ScriptedTransport([.failure(.timedOut)])
        guard case .inDoubt(let why) = await Recorded.gateway(transport).refund(refundRequest) else { Issue.record("not in doubt"); return }
        #expect(why.contains("nothing was sent") && transport.sent.map(\.method) == ["GET"])
    }

    @Test func aRefundAnsweredSucceededIsRefunded() async {
        let transport = ScriptedTransport(recorded: "charge-paid-no-refunds", "refund-succeeded")
        #expect(await Recorded.gateway(transport).refund(refundRequest) == .refunded(gatewayRefundID: "re_06cfeewewe4dc14de10fe0a"))
    }

    // MARK: Retried refunds: the refund query, and refunds listed without metadata

    static let refundNumber = "re_06cfeewewe4dc14de10fe0a"

    @Test func aRetryOfARefundPaymaxNumberedAsksThatRefundAndSendsNothing() async throws {
        // Given a refund Paymax answered PROCESSING earlier, with its re_ id
        var request = refundRequest
        request.gatewayRefundID = Self.refundNumber
        let transport = ScriptedTransport(recorded: "refund-succeeded")
        // When it is retried, Then the refund query says where it stands
        #expect(await Recorded.gateway(transport).refund(request) == .refunded(gatewayRefundID: Self.refundNumber))
        #expect(transport.sent.map(\.method) == ["GET"])
        #expect(transport.sent.first?.url == "https://www.paymax.cc/merchant-api/v1/charges/\(Recorded.charge)/refunds/\(Self.refundNumber)")
        // signed over its own uri
        let sent = try #require(transport.sent.first)
        let text = Array("get\n/v1/charges/\(Recorded.charge)/refunds/\(Self.refundNumber)\n\n\(sent.header("nonce") ?? "")\n\(sent.header("timestamp") ?? "")\n\(Recorded.secret)\n".utf8)
        #expect(try Recorded.merchantKey.publicKey().verifySHA1(base64Signature: sent.header("sign") ?? "", message: text))
    }

    @Test func theRefundQuerySettlesOnlyWhatPaymaxSaysOfThatRefund() async {
        var request = refundRequest
        request.gatewayRefundID = Self.refundNumber
        // FAILED is Paymax's own word on the refund: nothing was refunded.
        let failed = await Recorded.gateway(ScriptedTransport(recorded: "refund-failed")).refund(request)
        #expect(failed == .declined("Paymax refused the refund (REFUND_FAILED: the card is closed)"))
        // A refusal of the question says nothing of the refund: in doubt, never declined or rejected.
        for fixture in ["refund-not-found", "charge-bad-sign-config", "refund-multi"] {
            let verdict = await Recorded.gateway(ScriptedTransport(recorded: fixture)).refund(request)
            guard case .inDoubt(let why) = verdict else { Issue.record("\(fixture) gave \(verdict)"); continue }
            #expect(why.contains(Self.refundNumber) && why.contains("nothing was sent"), "\(why)")
        }
        // An answer about another refund, or none at all, is in doubt too.
        var other = request
        other.gatewayRefundID = "re_someoneelse0000000000001"
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport(recorded: "refund-succeeded")).refund(other) else {
            Issue.record("an answer naming another refund was believed"); return
        }
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport([.failure(.timedOut)])).refund(request) else {
            Issue.record("a timed-out refund query was not in doubt"); return
        }
    }

    @Test func aRetryThatFindsAnUnnamedRefundOfTheSameAmountIsInDoubtNeverDeclined() async {
        // Given the refund's answer was lost, and the charge lists a PROCESSING refund of the
        // same amount without metadata (it may well be ours)
        let transport = ScriptedTransport(recorded: "charge-paid-refund-unnamed-processing")
        // When the refund is retried
        let verdict = await Recorded.gateway(transport).refund(refundRequest)
        // Then it is in doubt (the amount stays held), and nothing is sent again
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains(Self.refundNumber) && why.contains("without our refund number"), "\(why)")
        #expect(transport.sent.map(\.method) == ["GET"])
    }

    @Test func anUnnamedRefundTheLedgerKnowsAsAnotherIsNotTakenForThisOne() async {
        // The first half went through with its answer (re_f1rst…); the second half is retried.
        var second = RefundRequest(order: Recorded.reference, refundID: RefundID(order: try! OrderID(Recorded.order), sequence: 2),
                                   amount: Money(minorUnits: 500, currency: .cny), reason: "damaged")
        let unsure = ScriptedTransport(recorded: "charge-paid-half-refunded-unnamed")
        guard case .inDoubt = await Recorded.gateway(unsure).refund(second) else { Issue.record("not in doubt"); return }
        #expect(unsure.sent.map(\.method) == ["GET"])

        second.otherGatewayRefundIDs = ["re_f1rst000000000000000001"]
        let known = ScriptedTransport(recorded: "charge-paid-half-refunded-unnamed", "refund-second-succeeded")
        #expect(await Recorded.gateway(known).refund(second) == .refunded(gatewayRefundID: "re_5ec0nd000000000000000002"))
        #expect(known.sent.map(\.method) == ["GET", "POST"])
    }

    @Test func aFirstAttemptOrAFailedUnnamedRefundCannotBeThisOneSoTheRefundIsSent() async {
        // A number just made has never left the till: an unnamed refund of the same amount is another's.
        let first = RefundRequest(order: Recorded.reference, refundID: RefundID(order: try! OrderID(Recorded.order), sequence: 2),
                                  amount: Money(minorUnits: 500, currency: .cny), reason: "damaged", mayHaveBeenSent: false)
        let fresh = ScriptedTransport(recorded: "charge-paid-half-refunded-unnamed", "refund-second-succeeded")
        #expect(await Recorded.gateway(fresh).refund(first) == .refunded(gatewayRefundID: "re_5ec0nd000000000000000002"))
        #expect(fresh.sent.map(\.method) == ["GET", "POST"])
        // A FAILED one moved no money: sending again cannot refund twice.
        let failed = ScriptedTransport(recorded: "charge-paid-refund-unnamed-failed", "refund-succeeded")
        #expect(await Recorded.gateway(failed).refund(refundRequest) == .refunded(gatewayRefundID: Self.refundNumber))
        #expect(failed.sent.map(\.method) == ["GET", "POST"])
    }

    @Test func aRetryWhoseChargeReadIsRefusedIsInDoubtAFirstAttemptsIsARefusal() async {
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport(recorded: "charge-bad-sign-config")).refund(refundRequest) else {
            Issue.record("a retried refund was settled by a refusal to read the charge"); return
        }
        var first = refundRequest
        first.mayHaveBeenSent = false
        guard case .rejected(let problem) = await Recorded.gateway(ScriptedTransport(recorded: "charge-bad-sign-config")).refund(first) else {
            Issue.record("a first attempt's configuration refusal was not rejected"); return
        }
        #expect(problem.code == "ILLEGAL_SIGN")
    }

    // MARK: Webhooks

    @Test func recordedWebhooksAreBelievedWhateverTheSignHeadersCase() {
        let gateway = Recorded.gateway(ScriptedTransport([]))
        let charge = gateway.verifyNotification(Recorded.webhook("webhook-charge-paid"))
        #expect(charge == .payment(orderID: try! OrderID(Recorded.order),
                                   .paid(PaymentConfirmation(gatewayTradeID: Recorded.charge, amount: Recorded.amount, paidAt: "1764590399000"))))
        var lower = Recorded.webhook("webhook-refund-succeeded")
        lower.headers = lower.headers.map { ($0.name.lowercased(), $0.value) }
        let notice = RefundNotice(refundID: RefundID(rawValue: "\(Recorded.order)R1"), gatewayRefundID: "re_06cfeewewe4dc14de10fe0a",
                                  gatewayTradeID: Recorded.charge, amount: Recorded.amount)
        #expect(gateway.verifyNotification(lower) == .refund(orderID: try! OrderID(Recorded.order), notice,
                                                             .refunded(gatewayRefundID: "re_06cfeewewe4dc14de10fe0a")))
        #expect(gateway.notificationReply(handled: true, reason: nil).body == Array("success".utf8))
        #expect(gateway.notificationReply(handled: false, reason: "x").body != Array("success".utf8))
    }

    @Test func aForgedWebhookIsForged() throws {
        let gateway = Recorded.gateway(ScriptedTransport([]))
        var tampered = Recorded.webhook("webhook-charge-paid")
        tampered.body = Array(String(decoding: tampered.body, as: UTF8.self).replacingOccurrences(of: "12.3", with: "1.23").utf8)
        var unsigned = Recorded.webhook("webhook-charge-paid")
        unsigned.headers = [("Content-Type", "application/json")]
        // Signed, but by a key the test makes: not Paymax's.
        var otherKey = Recorded.webhook("webhook-charge-paid")
        otherKey.headers = [("sign", try RSAPrivateKey.generate(bits: 1024).signSHA1Base64(otherKey.body))]
        for forged in [tampered, unsigned, otherKey] {
            guard case .forged = gateway.verifyNotification(forged) else { Issue.record("believed: \(forged.headers)"); continue }
        }
    }

    @Test func aWebhookSignedByAKeyTheTestMakesIsBelievedByAGatewayGivenItsPublicHalf() throws {
        let paymax = try RSAPrivateKey.generate(bits: 1024)
        let paymaxPublic = try paymax.publicKey()
        let base = Recorded.account()
        let account = PaymaxAccount(baseURL: base.baseURL, appKey: base.appKey, secretKey: Recorded.secret, livemode: false, merchantKey: Recorded.merchantKey,
                                    paymaxKey: paymaxPublic, returnURL: base.returnURL)
        let gateway = PaymaxGateway(account: account, transport: ScriptedTransport([]))
        let body = Array(#"{"data":{"id":"re_1","charge":"ch_1","order_no":"S261122101010ABCDEF","amount":1,"status":"FAILED","failure_msg":"closed"},"notifyNo":"evt_1","type":"REFUND"}"#.utf8)
        let verdict = gateway.verifyNotification(IncomingNotification(headers: [("SIGN", try paymax.signSHA1Base64(body))], body: body))
        let notice = RefundNotice(gatewayRefundID: "re_1", gatewayTradeID: "ch_1", amount: Money(minorUnits: 100, currency: .cny))
        #expect(verdict == .refund(orderID: try OrderID(Recorded.order), notice, .declined("Paymax refused the refund (closed)")))
    }
}
