import CheckoutCore
import Foundation
import HTTPTransport
import Testing
import WantuGateway

@Suite("Wantu gateway: a notification naming only Wantu's trade")
struct WantuTradeLookupTests {
    /// The seed's §2.6 example: no out_trade_no, `total_fee` a number, signed with the key.
    static func seedExample(_ changes: [String: String?] = [:]) -> IncomingNotification {
        var fields: [String: String] = [
            "return_code": "200", "return_msg": "200", "trade_time": "2017-11-30 17:56:21", "subject": "这是一个订单",
            "merchant_account": "HKG1449074190", "total_fee": "1230", "fee_type": "HKD",
            "trade_id": "100020171130144813026280", "trade_status": "SUCCESS", "attach": "",
        ]
        for (name, value) in changes { fields[name] = value }
        var object = fields.mapValues { WantuJSON.string($0) }
        object["total_fee"] = fields["total_fee"].flatMap { Int64($0) }.map(WantuJSON.integer)
        object["sign"] = .string(WantuSignature.sign(fields, key: Fixture.key))
        let body = (try? JSONEncoder().encode(object)) ?? Data()
        return IncomingNotification(headers: [("Content-Type", "application/json")], body: Array(body))
    }

    @Test func theSeedsExampleNamesTheTradeAndIsBelieved() {
        let verdict = makeGateway(ScriptedTransport([])).verifyNotification(Self.seedExample())
        #expect(verdict == .paymentOfTrade(gatewayTradeID: "100020171130144813026280",
                                           .paid(PaymentConfirmation(gatewayTradeID: "100020171130144813026280", amount: hkd1230, paidAt: "2017-11-30 17:56:21"))))
        let unpaid = makeGateway(ScriptedTransport([])).verifyNotification(Self.seedExample(["trade_status": "NOT_PAY"]))
        #expect(unpaid == .paymentOfTrade(gatewayTradeID: "100020171130144813026280", .notPaid))
    }

    @Test func oneNamingNeitherOrderNorTradeIsMalformedAndATamperedOneForged() {
        let gateway = makeGateway(ScriptedTransport([]))
        let neither = gateway.verifyNotification(Self.seedExample(["trade_id": nil, "trade_status": "NOT_PAY"]))
        #expect(neither == .malformed("neither out_trade_no nor trade_id"))
        let forged = gateway.verifyNotification(IncomingNotification(body: Array(String(decoding: Self.seedExample().body, as: UTF8.self)
            .replacingOccurrences(of: "1230", with: "1").utf8)))
        #expect(forged == .forged("wrong signature"))
    }

    @Test func theTradeIsLookedUpByTradeIDAloneAndBelievedOnlyWhenTheAnswerNamesOurOrder() async throws {
        let transport = ScriptedTransport([answer(["trade_id": "100020171130144813026280"])])
        let lookup = await makeGateway(transport).lookUp(trade: "100020171130144813026280")
        #expect(lookup == .found(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: "100020171130144813026280", amount: hkd1230, paidAt: "2017-11-29 12:34:02"))))
        try #require(transport.sent.count == 1, "Wantu was not asked once")
        let sent = transport.parameters(0)
        #expect(transport.sent.first?.url.hasSuffix("/query") == true)
        #expect(sent["trade_id"] == "100020171130144813026280")
        #expect(sent["out_trade_no"] == nil, "asked by the trade alone: the notification named no order")
        #expect(sent["merchant_account"] == "HKG1449074190" && sent["store_account"] == "HKG1831455570")
        #expect(WantuSignature.verify(sent, key: Fixture.key))
    }

    @Test func aLookUpAnswerThatCannotBindIsInDoubt() async {
        let trade = "100020171130144813026280"
        let cases: [(String, Result<HTTPResponse, TransportError>, String)] = [
            ("another trade", answer(["trade_id": "100020171130144813026281"]), "trade 100020171130144813026281"),
            ("another store", answer(["trade_id": trade, "store_account": "HKG1831455579"]), "store account HKG1831455579"),
            ("another merchant", answer(["trade_id": trade, "merchant_account": "HKG1449074199"]), "merchant account HKG1449074199"),
            ("no order number", answer(["trade_id": trade, "out_trade_no": nil]), "no usable order number"),
            ("an order number that is none of ours", answer(["trade_id": trade, "out_trade_no": "12-34"]), "no usable order number"),
            ("unsigned", .success(HTTPResponse(status: 200, body: Array(#"{"return_code":200,"out_trade_no":"S261122101010ABCDEF","trade_id":"100020171130144813026280","trade_status":"SUCCESS"}"#.utf8))), "not signed"),
            ("a timeout", .failure(.timedOut), "did not answer in time"),
            ("a server error", .success(HTTPResponse(status: 502, body: [])), "HTTP 502"),
            ("out_trade_no required after all", answer(.paramMissing, ["out_trade_no": nil, "trade_id": nil]), "PARAM_MISSING"),
        ]
        for (what, reply, words) in cases {
            let lookup = await makeGateway(ScriptedTransport([reply])).lookUp(trade: trade)
            guard case .inDoubt(let why) = lookup else { Issue.record("\(what): \(lookup)"); continue }
            #expect(why.contains(trade) && why.contains(words), "\(what): \(why)")
        }
    }

    @Test func aTradeWantuKnowsUnderNeitherWalletIsNotOurs() async throws {
        let invalid = answer(.orderInvalid, ["out_trade_no": nil, "trade_id": nil, "trade_status": nil])
        let transport = ScriptedTransport([invalid, invalid])
        #expect(await makeGateway(transport).lookUp(trade: "100020171130144813026280") == .notFound)
        try #require(transport.sent.count == 2, "Wantu was not asked under both wallets")
        #expect(transport.parameters(0)["pay_channel"] == "1")
        #expect(transport.parameters(1)["pay_channel"] == "2")

        let alipay = ScriptedTransport([invalid, answer(["trade_id": "100020171130144813026280"])])
        guard case .found(order, .paid) = await makeGateway(alipay).lookUp(trade: "100020171130144813026280") else {
            Issue.record("a trade found under Alipay was not found"); return
        }
    }
}
