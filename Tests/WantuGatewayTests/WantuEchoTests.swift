import CheckoutCore
import Foundation
import HTTPTransport
import Testing
import WantuGateway

/// An answer signed with the fixture key, written as Wantu writes it.
func signedAnswer(_ fields: [String: String]) -> Result<HTTPResponse, TransportError> {
    var object = fields
    object["sign"] = WantuSignature.sign(fields, key: Fixture.key)
    return .success(HTTPResponse(status: 200, body: WantuWire.encodeRequest(object)))
}

/// A signed answer of `code` about the fixture order, for the till's accounts, with `changes`
/// on top (a nil value leaves the field out).
func answer(_ code: WantuReturnCode = .success, _ changes: [String: String?] = [:]) -> Result<HTTPResponse, TransportError> {
    var fields = ["return_code": String(code.rawValue), "return_msg": code.message, "out_trade_no": Fixture.order,
                  "trade_id": "100020171129123354091820", "trade_time": "2017-11-29 12:34:02", "total_fee": "1230",
                  "fee_type": "HKD", "store_account": "HKG1831455570", "merchant_account": "HKG1449074190",
                  "trade_status": "SUCCESS", "out_refund_no": "\(Fixture.order)R1", "refund_id": "RF1", "refund_fee": "500",
                  "qrcode_url": "weixin://wxpay/bizpayurl?pr=fJkMvo1"]
    for (name, value) in changes { fields[name] = value }
    return signedAnswer(fields)
}

/// A signed success about the fixture order with `changes` on top.
func answer(_ changes: [String: String?]) -> Result<HTTPResponse, TransportError> { answer(.success, changes) }

let otherOrder = "S261122101010ABCDEG"
let paidHKD1230 = PaymentVerdict.paid(PaymentConfirmation(gatewayTradeID: "100020171129123354091820", amount: hkd1230, paidAt: "2017-11-29 12:34:02"))

@Suite("Wantu gateway: an answer binds to the request it answers")
struct WantuEchoTests {
    /// Each way an answer can be about something else than the request, and the words that say so.
    static let mixUps: [(String, [String: String?], [String])] = [
        ("another order", ["out_trade_no": otherOrder], ["order", otherOrder, Fixture.order]),
        ("another store", ["store_account": "HKG1831455579"], ["store account", "HKG1831455579", "HKG1831455570"]),
        ("another merchant", ["merchant_account": "HKG1449074199"], ["merchant account", "HKG1449074199", "HKG1449074190"]),
    ]

    @Test(arguments: mixUps)
    func aPaymentAnsweredAboutSomethingElseIsInDoubtNeverPaidOrDeclined(what: String, changes: [String: String?], words: [String]) async {
        for code in [WantuReturnCode.success, .notEnough, .authCodeInvalid, .orderInvalid] {
            let verdict = await makeGateway(ScriptedTransport([answer(code, changes)])).pay(payRequest)
            guard case .inDoubt(let why) = verdict else { Issue.record("\(what), \(code): \(verdict)"); continue }
            for word in words { #expect(why.contains(word), "\(what), \(code): \(why)") }
        }
    }

    @Test(arguments: mixUps)
    func aQueryQRCreationRefundCancelAndCloseAnsweredAboutSomethingElseAreNotBelieved(what: String, changes: [String: String?], words: [String]) async throws {
        let query = await makeGateway(ScriptedTransport([answer(changes)])).query(reference)
        guard case .inDoubt(let why) = query else { Issue.record("query, \(what): \(query)"); return }
        for word in words { #expect(why.contains(word), "query, \(what): \(why)") }

        let qr = await makeGateway(ScriptedTransport([answer(changes)]))
            .createQR(QRPayRequest(orderID: order, amount: hkd1230, subject: "Tea", wallet: .wechat))
        guard case .failed(.inDoubt) = qr else { Issue.record("create-qrcode, \(what): \(qr)"); return }

        let refundRequest = RefundRequest(order: reference, refundID: RefundID(order: order, sequence: 1),
                                          amount: Money(minorUnits: 500, currency: .hkd), reason: "broken cup")
        for code in [WantuReturnCode.success, .refundError] {
            let refund = await makeGateway(ScriptedTransport([answer(code, changes)])).refund(refundRequest)
            guard case .inDoubt = refund else { Issue.record("refund \(code), \(what): \(refund)"); return }
        }

        for endpoint in ["cancel", "close"] {
            let transport = ScriptedTransport([answer(.success, changes)])
            let gateway = makeGateway(transport)
            let verdict = endpoint == "cancel" ? await gateway.cancel(reference) : await gateway.close(reference)
            guard case .failed(let why) = verdict else { Issue.record("\(endpoint), \(what): \(verdict)"); return }
            for word in words { #expect(why.contains(word), "\(endpoint), \(what): \(why)") }
        }
    }

    @Test func aQueryAnsweredAboutAnotherTradeThanTheRecordedOneIsInDoubt() async {
        let recorded = OrderReference(orderID: order, wallet: .wechat, amount: hkd1230, gatewayTradeID: "100020171129123354091821")
        let transport = ScriptedTransport([answer()])
        let verdict = await makeGateway(transport).query(recorded)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("trade 100020171129123354091820"), "\(why)")
        #expect(transport.parameters(0)["trade_id"] == "100020171129123354091821")
    }

    @Test func aRefundConfirmedUnderAnotherRefundNumberIsInDoubt() async {
        let request = RefundRequest(order: reference, refundID: RefundID(order: order, sequence: 2),
                                    amount: Money(minorUnits: 500, currency: .hkd), reason: "broken cup")
        let verdict = await makeGateway(ScriptedTransport([answer()])).refund(request)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("refund \(Fixture.order)R1") && why.contains("\(Fixture.order)R2"), "\(why)")
    }

    @Test func anOrderListForAnotherStoreIsABadAnswer() async {
        let start = Date(timeIntervalSince1970: 1_520_438_400)
        let listing = answer(["store_account": "HKG1831455579", "out_trade_no": nil, "trade_id": nil, "out_refund_no": nil])
        await #expect(throws: GatewayError.badAnswer("Wantu's answer names store account HKG1831455579, but the request named HKG1831455570: an answer about another store account is not believed")) {
            try await makeGateway(ScriptedTransport([listing, listing])).transactions(from: start, to: start.addingTimeInterval(60))
        }
    }

    @Test func answersThatEchoNothingOrEchoTheRequestAreBelievedAsBefore() async {
        let silent = answer(["out_trade_no": nil, "store_account": nil, "merchant_account": nil])
        #expect(await makeGateway(ScriptedTransport([silent])).pay(payRequest) == paidHKD1230)
        #expect(await makeGateway(ScriptedTransport([answer()])).pay(payRequest) == paidHKD1230)
        #expect(await makeGateway(ScriptedTransport([answer()])).query(reference) == paidHKD1230)
        #expect(await makeGateway(ScriptedTransport(fixtures: "cancel-success.json")).close(reference) == .cancelled)
    }
}

@Suite("Wantu gateway: a cancel or close answered ORDER_INVALID is checked with a query")
struct WantuOrderInvalidTests {
    static let invalid = answer(.orderInvalid, ["trade_id": nil, "trade_status": nil])

    @Test(arguments: [
        (answer(.orderInvalid, ["trade_id": nil, "trade_status": nil]), CancelVerdict.cancelled),
        (answer(["trade_status": "PAY_EEROR"]), .cancelled),
        (answer(), .alreadyPaid),
    ])
    func onlyAQueryThatFindsNothingPayableLetsTheOrderEnd(query: Result<HTTPResponse, TransportError>, expected: CancelVerdict) async {
        for endpoint in ["cancel", "close"] {
            let transport = ScriptedTransport([Self.invalid, query])
            let gateway = makeGateway(transport)
            let verdict = endpoint == "cancel" ? await gateway.cancel(reference) : await gateway.close(reference)
            #expect(verdict == expected, "\(endpoint)")
            #expect(transport.sent.map { String($0.url.split(separator: "/").last ?? "") } == [endpoint, "query"])
            #expect(transport.sent.count < 2 || transport.parameters(1)["out_trade_no"] == Fixture.order)
        }
    }

    @Test func anOrderAQueryFindsOpenOrUnclearIsNotCancelled() async {
        let cases: [(Result<HTTPResponse, TransportError>, String)] = [
            (answer(["trade_status": "NOT_PAY"]), "a query finds the order open"),
            (answer(.userPaying), "still confirming"),
            (.failure(.timedOut), "no clear answer"),
            (answer(["trade_status": "NOT_PAY", "out_trade_no": otherOrder]), "no clear answer"),
        ]
        for (query, words) in cases {
            for endpoint in ["cancel", "close"] {
                let gateway = makeGateway(ScriptedTransport([Self.invalid, query]))
                let verdict = endpoint == "cancel" ? await gateway.cancel(reference) : await gateway.close(reference)
                guard case .failed(let why) = verdict else { Issue.record("\(endpoint), \(words): \(verdict)"); continue }
                #expect(why.contains("ORDER_INVALID") && why.contains(words), "\(endpoint): \(why)")
            }
        }
    }
}
