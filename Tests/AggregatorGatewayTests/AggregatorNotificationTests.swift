import AggregatorGateway
import CheckoutCore
import HTTPTransport
import Testing
import TestSupport

/// Callbacks posted to `/notify/aggregator`: believed only when signed, amounts read as fen.
@Suite struct AggregatorNotificationTests {
    /// A gateway with the merchant of the seed's callback example.
    let seedMerchant = AggregatorGateway(
        account: AggregatorAccount(baseURL: "https://pay.example.cn", appID: "gpu10000000", secret: "229254ceaf2xxxxxxxxxxxx",
                                   notifyURL: "https://shop.example.cn/notify/aggregator", returnURL: "https://shop.example.cn/"),
        transport: RecordingTransport(script: []))

    func post(_ body: String) -> IncomingNotification {
        IncomingNotification(headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    var seedBody: String { String(decoding: Recorded.bytes("callback-seed-example.form"), as: UTF8.self) }

    @Test func theSeedsCallbackIsAPaymentOfItsActualAmount() throws {
        let verdict = seedMerchant.verifyNotification(post(seedBody))
        #expect(verdict == .payment(orderID: try OrderID("2019xxxxxxxxxxxx"), .paid(PaymentConfirmation(
            gatewayTradeID: "A2019xxxxxxxxxxxx", amount: Money(minorUnits: 10_000, currency: .cny), paidAt: "2019-08-18 00:13:41"))))
    }

    @Test func aChangedOrUnsignedCallbackIsForged() {
        let changed = seedBody.replacingOccurrences(of: "actual_amount=10000.00", with: "actual_amount=100.00")
        #expect(isForged(seedMerchant.verifyNotification(post(changed))))
        let unsigned = seedBody.replacingOccurrences(of: "&sign=eecb33027f752c51663f12ddbaf26ac9", with: "")
        #expect(isForged(seedMerchant.verifyNotification(post(unsigned))))
        // The empty attach is signed: leaving it out breaks the signature.
        let withoutAttach = seedBody.replacingOccurrences(of: "&attach=", with: "")
        #expect(isForged(seedMerchant.verifyNotification(post(withoutAttach))))
    }

    @Test func aShortPaymentIsReportedAsWhatWasPaid() throws {
        let body = signedCallback(["amount": "60000.00", "actual_amount": "50000.00", "pay_status": "1"])
        guard case .payment(_, .paid(let confirmation)) = Recorded.gateway(RecordingTransport(script: [])).verifyNotification(post(body)) else {
            Issue.record("not read as a payment")
            return
        }
        #expect(confirmation.amount == Money(minorUnits: 50_000, currency: .cny))
    }

    @Test func aSignedCallbackWhoseAmountIsNotFenIsMalformed() {
        let body = signedCallback(["amount": "600.50", "actual_amount": "600.50", "pay_status": "1"])
        guard case .malformed = Recorded.gateway(RecordingTransport(script: [])).verifyNotification(post(body)) else {
            Issue.record("600.50 was read as an amount of fen")
            return
        }
    }

    @Test func aFailedCallbackIsReportedFailedSoFarNotADeclineAndAPayingOneIsNotFinal() throws {
        let gateway = Recorded.gateway(RecordingTransport(script: []))
        let failed = gateway.verifyNotification(post(signedCallback(["amount": "60000", "actual_amount": "0", "pay_status": "0"])))
        guard case .payment(_, .inDoubt(let why)) = failed else { Issue.record("\(failed)"); return }
        #expect(why.contains("failed so far (pay_status 0)"), "\(why)")
        let paying = gateway.verifyNotification(post(signedCallback(["amount": "60000", "actual_amount": "0", "pay_status": "-1"])))
        #expect(paying == .payment(orderID: try OrderID(Recorded.order), .notPaid))
    }

    @Test func aBodyThatIsNotAFormOrNamesAFieldTwiceIsMalformed() {
        let gateway = Recorded.gateway(RecordingTransport(script: []))
        for body in [#"{"order_no":"S261201173000ABCDEF""#, seedBody + "&amount=1.00", ""] {
            guard case .malformed = gateway.verifyNotification(post(body)) else {
                Issue.record("\(body) was not malformed")
                continue
            }
        }
    }

    // MARK: JSON, as the seed's callback example writes it

    func postJSON(_ body: String) -> IncomingNotification {
        IncomingNotification(headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    var seedJSON: String { String(decoding: Recorded.bytes("callback-seed-example.json"), as: UTF8.self) }

    @Test func theSeedsCallbackAsJSONIsTheSamePaymentAsTheForm() throws {
        let verdict = seedMerchant.verifyNotification(postJSON(seedJSON))
        #expect(verdict == seedMerchant.verifyNotification(post(seedBody)))
        #expect(verdict == .payment(orderID: try OrderID("2019xxxxxxxxxxxx"), .paid(PaymentConfirmation(
            gatewayTradeID: "A2019xxxxxxxxxxxx", amount: Money(minorUnits: 10_000, currency: .cny), paidAt: "2019-08-18 00:13:41"))))
        // Whatever the Content-Type says: the seed calls the callback a form and shows JSON.
        #expect(seedMerchant.verifyNotification(post(seedJSON)) == verdict)
    }

    @Test func aJSONCallbackIsSignedByTheSameRule() {
        let changed = seedJSON.replacingOccurrences(of: #""actual_amount": "10000.00""#, with: #""actual_amount": "100.00""#)
        #expect(isForged(seedMerchant.verifyNotification(postJSON(changed))))
        let unsigned = seedJSON.replacingOccurrences(of: #","# + "\n" + #"  "sign": "eecb33027f752c51663f12ddbaf26ac9""#, with: "")
        #expect(!unsigned.contains("sign"))
        #expect(isForged(seedMerchant.verifyNotification(postJSON(unsigned))))
        // The number 1 is signed as the text "1": written as a string it signs the same.
        let quoted = seedJSON.replacingOccurrences(of: #""pay_status": 1"#, with: #""pay_status": "1""#)
        guard case .payment(_, .paid) = seedMerchant.verifyNotification(postJSON(quoted)) else {
            Issue.record("a quoted pay_status was not the same callback")
            return
        }
    }

    @Test func aJSONCallbackWithAValueThatIsNotAStringOrANumberOrAKeyTwiceIsMalformed() {
        let bodies = [
            seedJSON.replacingOccurrences(of: #""attach": """#, with: #""attach": null"#),
            seedJSON.replacingOccurrences(of: #""attach": """#, with: #""attach": false"#),
            seedJSON.replacingOccurrences(of: #""attach": """#, with: #""attach": ["a"]"#),
            seedJSON.replacingOccurrences(of: #""attach": """#, with: #""attach": {"a": "b"}"#),
            seedJSON.replacingOccurrences(of: #""attach": """#, with: #""attach": "", "amount": "1.00""#),
            seedJSON.replacingOccurrences(of: "}", with: ""),
            "[" + seedJSON + "]",
        ]
        for body in bodies {
            guard case .malformed = seedMerchant.verifyNotification(postJSON(body)) else {
                Issue.record("\(body) was not malformed")
                continue
            }
        }
    }

    @Test func theReplyIsExactlySUCCESSOnlyWhenHandled() {
        let gateway = Recorded.gateway(RecordingTransport(script: []))
        #expect(gateway.notificationReply(handled: true, reason: nil).body == Array("SUCCESS".utf8))
        #expect(gateway.notificationReply(handled: false, reason: "wrong amount").body != Array("SUCCESS".utf8))
    }

    /// A callback for the test order with `fields`, signed as the aggregator signs.
    func signedCallback(_ fields: [String: String]) -> String {
        var form = ["appid": Recorded.appID, "order_no": Recorded.order, "attach": "", "pay_time": "2026-12-01 17:30:21",
                    "platform_order_no": "A202612011730004095826222"].merging(fields) { $1 }
        form["sign"] = AggregatorSignature.sign(form, secret: Recorded.secret, form: .callback)
        return FormEncoding.encode(form)
    }

    func isForged(_ verdict: NotificationVerdict) -> Bool {
        if case .forged = verdict { return true }
        return false
    }
}
