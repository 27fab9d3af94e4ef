import CheckoutCore
import CloudPayGateway
import Testing
import TestSupport

/// CloudPay's payment notification, as it reaches `/notify/cloudpay`.
@Suite("CloudPay notifications: believed only when signed in CloudPay's order")
struct CloudPayNotificationTests {
    let gateway = CloudPayGateway(account: CloudPayAccount(baseURL: "https://pay.example.com", appKey: Recorded.appKey, appSecret: Recorded.secret),
                                  transport: RecordingTransport(recorded: "create-success.json"))

    static func fields(price: String = "12.30", realprice: String? = "12.30") -> [String: String] {
        var fields = ["order_id": "5001", "out_order_id": Recorded.order, "price": price, "type": "alipay",
                      "paytime": "1556614084", "extend": ""]
        fields["realprice"] = realprice
        return fields
    }

    /// A form as CloudPay posts it, signed with `secret` (nil: not signed).
    static func form(_ fields: [String: String], secret: String? = Recorded.secret) -> IncomingNotification {
        var fields = fields
        if let secret {
            var signed = fields
            signed["appkey"] = Recorded.appKey
            fields["sign"] = CloudPaySignature.sign(signed, order: CloudPaySignature.notificationFields, secret: secret)
        }
        let names = ["order_id", "out_order_id", "price", "realprice", "type", "paytime", "extend", "sign"].filter { fields[$0] != nil }
        return IncomingNotification(headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                    body: CloudPayForm.encode(names.map { ($0, fields[$0] ?? "") }))
    }

    @Test func aSignedNotificationSaysPaidForItsPriceWithCloudPaysNumber() {
        let verdict = gateway.verifyNotification(Self.form(Self.fields()))
        let expected = PaymentConfirmation(gatewayTradeID: "5001", amount: Money(minorUnits: 1230, currency: .cny), paidAt: "1556614084")
        #expect(verdict == .payment(orderID: try! OrderID(Recorded.order), .paid(expected)))
    }

    @Test func aNotificationWithoutARealPriceIsPaidForItsPriceAlone() {
        for realprice in [nil, ""] {
            let verdict = gateway.verifyNotification(Self.form(Self.fields(realprice: realprice)))
            guard case .payment(_, .paid(let confirmation)) = verdict else { Issue.record("\(verdict)"); continue }
            #expect(confirmation.received == cny(1230))
        }
    }

    @Test func anUnsignedOrWronglySignedOrTamperedNotificationIsForged() {
        #expect(gateway.verifyNotification(Self.form(Self.fields(), secret: nil)) == .forged("no signature"))
        #expect(gateway.verifyNotification(Self.form(Self.fields(), secret: "another-secret")) == .forged("wrong signature"))
        var tampered = Self.form(Self.fields())
        tampered.body = Array(String(decoding: tampered.body, as: UTF8.self).replacingOccurrences(of: "price=12.30", with: "price=1.30").utf8)
        #expect(gateway.verifyNotification(tampered) == .forged("wrong signature"))
    }

    @Test func signedButUnreadableNotificationsAreMalformedNotBelieved() {
        for (fields, why) in [(Self.fields(price: "12.301"), "price"), (Self.fields(realprice: "abc"), "realprice")] {
            guard case .malformed(let said) = gateway.verifyNotification(Self.form(fields)) else { Issue.record("\(fields)"); continue }
            #expect(said.contains(why))
        }
        var noAmount = Self.fields(realprice: nil)
        noAmount["price"] = nil
        guard case .malformed(let said) = gateway.verifyNotification(Self.form(noAmount)) else { Issue.record("a notification without an amount was believed"); return }
        #expect(said.contains("price"))
        var noOrder = Self.fields()
        noOrder["out_order_id"] = "no!"
        guard case .malformed = gateway.verifyNotification(Self.form(noOrder)) else { Issue.record("bad out_order_id believed"); return }
        let json = IncomingNotification(body: Array(#"{"out_order_id":"S261122101010ABCDEF"}"#.utf8))
        guard case .malformed = gateway.verifyNotification(json) else { Issue.record("JSON read as a form"); return }
        let twice = IncomingNotification(body: Array("price=1.00&price=2.00&sign=x".utf8))
        guard case .malformed = gateway.verifyNotification(twice) else { Issue.record("a field given twice was read"); return }
    }

    @Test func theReplyIsExactlySuccessOrFail() {
        #expect(gateway.notificationReply(handled: true, reason: nil).body == Array("success".utf8))
        #expect(gateway.notificationReply(handled: false, reason: "unknown order").body == Array("fail".utf8))
    }
}

func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }

/// `realprice` against `price` and `[providers.cloudpay] max_price_adjustment`.
@Suite("CloudPay notifications: realprice is the money received")
struct CloudPayRealPriceTests {
    func gateway(maxPriceAdjustment: Money = CloudPayAccount.defaultMaxPriceAdjustment) -> CloudPayGateway {
        CloudPayGateway(account: CloudPayAccount(baseURL: "https://pay.example.com", appKey: Recorded.appKey, appSecret: Recorded.secret,
                                                 maxPriceAdjustment: maxPriceAdjustment),
                        transport: RecordingTransport(recorded: "create-success.json"))
    }

    func verdict(_ realprice: String, price: String = "12.30", gateway: CloudPayGateway? = nil) -> PaymentVerdict? {
        let answer = (gateway ?? self.gateway()).verifyNotification(CloudPayNotificationTests.form(CloudPayNotificationTests.fields(price: price, realprice: realprice)))
        guard case .payment(let order, let verdict) = answer, order.rawValue == Recorded.order else { return nil }
        return verdict
    }

    @Test func aRealPriceShiftedWithinTheAdjustmentIsPaidWithTheMoneyReceived() {
        for (realprice, fen) in [("12.29", Int64(1229)), ("12.20", 1220), ("12.30", 1230), ("12.31", 1231), ("12.40", 1240)] {
            let expected = PaymentConfirmation(gatewayTradeID: "5001", amount: cny(1230), paidAt: "1556614084", received: cny(fen))
            #expect(verdict(realprice) == .paid(expected), "\(realprice)")
        }
    }

    @Test func aShortfallBeyondTheAdjustmentIsUnderpaidNotPaid() {
        #expect(verdict("12.19") == .underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: cny(1230), paidAt: "1556614084", received: cny(1219))))
        #expect(verdict("8.50") == .underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: cny(1230), paidAt: "1556614084", received: cny(850))))
        #expect(verdict("0.00") == .underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: cny(1230), paidAt: "1556614084", received: cny(0))))
        #expect(verdict("8.50")?.cashierWords == "underpaid: CNY 8.50 of CNY 12.30 received")
    }

    @Test func theAdjustmentIsTheConfiguredOne() {
        let strict = gateway(maxPriceAdjustment: .zero(.cny))
        guard case .underpaid? = verdict("12.29", gateway: strict) else { Issue.record("0.01 short was paid with no adjustment allowed"); return }
        let loose = gateway(maxPriceAdjustment: cny(50))
        guard case .paid? = verdict("11.80", gateway: loose) else { Issue.record("0.50 short was not paid with 0.50 allowed"); return }
        guard case .underpaid? = verdict("11.79", gateway: loose) else { Issue.record("0.51 short was paid with 0.50 allowed"); return }
    }

    @Test func moreThanThePriceIsPaidAndBeyondTheAdjustmentFlaggedForTheExcess() {
        guard case .paid(let within)? = verdict("12.40") else { Issue.record("12.40 for 12.30 not paid"); return }
        #expect(within.attention == nil)
        guard case .paid(let beyond)? = verdict("15.30") else { Issue.record("15.30 for 12.30 not paid"); return }
        #expect(beyond.received == cny(1530))
        #expect(beyond.attention?.contains("overpaid: the customer paid CNY 15.30 for an order of CNY 12.30") == true, "\(String(describing: beyond.attention))")
        #expect(beyond.attention?.contains("CNY 3.00 more than asked") == true)
    }
}

/// The signature joins the fields without separators: only fields of their fixed form count.
@Suite("CloudPay notifications: each signed field's form is checked before it is believed")
struct CloudPayFieldFormTests {
    let gateway = CloudPayGateway(account: CloudPayAccount(baseURL: "https://pay.example.com", appKey: Recorded.appKey, appSecret: Recorded.secret),
                                  transport: RecordingTransport(recorded: "create-success.json"))

    func malformed(_ change: (inout [String: String]) -> Void) -> String? {
        var fields = CloudPayNotificationTests.fields()
        change(&fields)
        let verdict = gateway.verifyNotification(CloudPayNotificationTests.form(fields))
        guard case .malformed(let why) = verdict else { return nil }
        return why
    }

    @Test func aFullPaymentReSplitIntoAnotherRealPriceWithTheSameSignatureIsNotBelieved() {
        // Signed: price 12.30, realprice 12.30, type alipay. The same characters read as
        // realprice "1" and type "2.30alipay" carry the same signature.
        let signed = CloudPayNotificationTests.form(CloudPayNotificationTests.fields())
        let form = String(decoding: signed.body, as: UTF8.self)
        let resplit = form.replacingOccurrences(of: "realprice=12.30", with: "realprice=1").replacingOccurrences(of: "type=alipay", with: "type=2.30alipay")
        #expect(resplit != form)
        let verdict = gateway.verifyNotification(IncomingNotification(headers: signed.headers, body: Array(resplit.utf8)))
        guard case .malformed = verdict else { Issue.record("a re-split notification was believed: \(verdict)"); return }
    }

    @Test func pricesNotOfExactlyTwoDecimalsAreMalformed() {
        for bad in ["12.3", "12", "012.30", "12.300", " 12.30", "12.30 ", "+12.30", "1e1", "12,30", "0.00"] {
            #expect(malformed { $0["price"] = bad }?.contains("price") == true, "price \(bad)")
        }
        for bad in ["12.3", "12", "012.30", "-1.00", "12.30x"] {
            #expect(malformed { $0["realprice"] = bad }?.contains("realprice") == true, "realprice \(bad)")
        }
    }

    @Test func aTypeTheAccountDoesNotUseIsMalformed() {
        // The account offers Alipay only.
        for bad in ["wechat", "bank", "ALIPAY", "", "alipay "] {
            #expect(malformed { $0["type"] = bad }?.contains("type") == true, "type \(bad)")
        }
    }

    @Test func orderNumbersNotOfTheirFormAreMalformed() {
        for bad in ["", "5001a", "-5001", "５００１", "123456789012345678901"] {
            #expect(malformed { $0["order_id"] = bad }?.contains("order_id") == true, "order_id \(bad)")
        }
        for bad in ["S261122101010ABCDE", "S261122101010ABCDEF2", "X261122101010ABCDEF", "S26112210101XABCDEF", "S261122101010ABCDE1",
                    "ORDER0000001", " S261122101010ABCDEF"] {
            #expect(malformed { $0["out_order_id"] = bad }?.contains("out_order_id") == true, "out_order_id \(bad)")
        }
        #expect(malformed { $0["paytime"] = "1556614084x" }?.contains("paytime") == true)
    }
}
