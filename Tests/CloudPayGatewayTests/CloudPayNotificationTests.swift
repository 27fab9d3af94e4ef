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

    @Test func aRealPriceBelowThePriceIsCarriedAsWhatTheCustomerPaid() {
        let verdict = gateway.verifyNotification(Self.form(Self.fields(realprice: "12.29")))
        guard case .payment(_, .paid(let confirmation)) = verdict else { Issue.record("\(verdict)"); return }
        #expect(confirmation.amount == Money(minorUnits: 1230, currency: .cny))
        #expect(confirmation.customerPaid == Money(minorUnits: 1229, currency: .cny))
    }

    @Test func aNotificationWithoutARealPriceIsPaidForItsPriceAlone() {
        let verdict = gateway.verifyNotification(Self.form(Self.fields(realprice: nil)))
        guard case .payment(_, .paid(let confirmation)) = verdict else { Issue.record("\(verdict)"); return }
        #expect(confirmation.customerPaid == nil)
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
