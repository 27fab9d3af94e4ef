import CheckoutCore
import CloudPayGateway
import Foundation
import HTTPTransport
import Ledger
import Sandbox
import Testing
import TestSupport
import Till

/// CloudPay from the till's request to the customer's payment, over loopback HTTP, through the
/// notify server alone: CloudPay cannot be asked, so nothing else can say paid.
@Suite("CloudPay end to end: paid through the notify server alone", .timeLimit(.minutes(1)))
struct CloudPayEndToEndTests {
    @Test func aQRPaymentCompletesByTheCallback() async throws {
        try await CloudPayEndToEnd.run { till in
            let (order, payload, checkout) = try await till.startQR(1250)
            #expect(payload.hasPrefix("http://127.0.0.1:\(till.server.port)/cloudpay/pay/api?id="))
            #expect(payload.hasSuffix("&type=alipay"))

            #expect(await till.sandbox.payOrder(order.rawValue))
            let report = try await checkout.value
            let finished = ContinuousClock.now

            guard case .paid(let confirmation) = report.result else { Issue.record("\(report.result)"); return }
            #expect(confirmation.amount == CloudPayEndToEnd.cny(1250))
            #expect(report.order.status == .paid)
            #expect(report.order.attention == nil)
            let ack = try #require(till.deliveries.all.first)
            #expect(ack.status == 200 && ack.body == "success")
            // CloudPay cannot be asked: the callback is the only way the till can have learnt it.
            // How fast is shroff-bench's figure; here only that it came long before the deadline.
            #expect(finished - ack.at < .seconds(10), "the till saw the payment \(finished - ack.at) after the callback")
            #expect(try till.ledger.events(for: order).contains { $0.kind == .notification })
        }
    }

    @Test func aForgedOrWrongAmountCallbackChangesNothingAndTheRealOneStillCounts() async throws {
        try await CloudPayEndToEnd.run { till in
            let (order, _, checkout) = try await till.startQR(1250)
            let fields = ["order_id": "777", "out_order_id": order.rawValue, "price": "12.50", "realprice": "12.50",
                          "type": "alipay", "paytime": "1764547200", "extend": ""]

            let forged = try await till.post(fields, secret: "not-the-secret")
            #expect(forged.0 == 403 && forged.1 == "fail")
            var wrong = fields
            (wrong["price"], wrong["realprice"]) = ("1.25", "1.25")
            let wrongAmount = try await till.post(wrong)
            #expect(wrongAmount.1 == "fail")
            let stored = try #require(try till.ledger.order(order))
            #expect(stored.status == .pending)
            #expect(stored.gatewayTradeID == nil)
            #expect(try till.ledger.events(for: order).contains { $0.kind == .notification } == false)

            #expect(await till.sandbox.payOrder(order.rawValue))
            let report = try await checkout.value
            guard case .paid = report.result else { Issue.record("\(report.result)"); return }
        }
    }

    @Test func aRealPriceShiftedWithinTheAdjustmentIsPaidWithTheMoneyReceived() async throws {
        try await CloudPayEndToEnd.run { till in
            let (order, _, checkout) = try await till.startQR(1226)  // ..26: pays itself, 0.01 short
            let report = try await checkout.value

            guard case .paid(let confirmation) = report.result else { Issue.record("\(report.result)"); return }
            #expect(confirmation.received == CloudPayEndToEnd.cny(1225))
            #expect(report.order.attention == nil)
            #expect(try till.ledger.order(order)?.received == CloudPayEndToEnd.cny(1225))
        }
    }

    @Test func anUnderpaidCallbackEndsTheSaleNotPaidFlaggedAndAResendChangesNothing() async throws {
        try await CloudPayEndToEnd.run { till in
            let (order, _, checkout) = try await till.startQR(1228)  // ..28: pays itself, half the price
            let report = try await checkout.value

            guard case .underpaid(let confirmation) = report.result else { Issue.record("\(report.result)"); return }
            #expect(confirmation.amount == CloudPayEndToEnd.cny(1228))
            #expect(confirmation.received == CloudPayEndToEnd.cny(614))
            #expect(report.result.summary.hasPrefix("UNDERPAID: CNY 6.14 of CNY 12.28 received"), "\(report.result.summary)")
            let stored = try #require(try till.ledger.order(order))
            #expect(stored.status == .declined)
            #expect(stored.received == CloudPayEndToEnd.cny(614))
            #expect(stored.attention?.hasPrefix("underpaid: CNY 6.14 of CNY 12.28 received") == true, "\(String(describing: stored.attention))")
            // Recorded, so CloudPay is told to stop: exactly `success`, once.
            #expect(till.deliveries.all.map(\.body) == ["success"])

            // CloudPay sends it again: acknowledged, and nothing changes.
            let sandboxOrder = try #require(await till.sandbox.order(order.rawValue))
            let events = try till.ledger.events(for: order)
            let again = try await till.post(["order_id": String(sandboxOrder.orderID), "out_order_id": order.rawValue, "price": "12.28",
                                             "realprice": "6.14", "type": "alipay", "paytime": "1764547200", "extend": ""])
            #expect(again.0 == 200 && again.1 == "success", "\(again)")
            #expect(try till.ledger.order(order) == stored)
            #expect(try till.ledger.events(for: order) == events)
        }
    }

    @Test func aBadlySignedCallbackIsRefusedAtEveryRetryAndTheOrderStaysUnpaid() async throws {
        let control = CheckoutControl()
        try await CloudPayEndToEnd.run { till in
            let (order, _, checkout) = try await till.startQR(1225, control: control)  // ..25: pays itself, callback badly signed
            await till.deliveries.waitFor(3)
            #expect(till.deliveries.all.map(\.status) == [403, 403, 403])
            #expect(try till.ledger.order(order)?.status == .pending)

            control.requestCancel()
            let report = try await checkout.value
            #expect(report.result == .expired(closed: false))
            #expect(report.order.status == .expired)
        }
    }

    @Test(arguments: [(1223, "HTTP 500"), (1221, "199"), (1224, "110"), (1227, "callback URL")])
    func theSandboxsRefusalsReachTheTillWithTheirMeaning(fen: Int64, words: String) async throws {
        try await CloudPayEndToEnd.run(runnerClock: SteppingClock().checkoutClock) { till in
            let report = try await till.runner.payByQR(CloudPayEndToEnd.cny(fen), wallet: .alipay, subject: "Tea")
            #expect(report.result.summary.contains(words), "\(report.result)")
            #expect(till.deliveries.all.isEmpty)
        }
    }

    @Test func theSandboxChecksTheSignatureAndTheParametersAsTheDocumentSays() async throws {
        try await CloudPayEndToEnd.run { till in
            func create(_ fields: [(String, String)]) async throws -> [String: Any] {
                let response = try await CurlTransport().send(HTTPRequest(url: "http://127.0.0.1:\(till.server.port)/cloudpay/api/cloudpay/create",
                                                                          body: CloudPayForm.encode(fields)))
                return (try JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            }
            var values = ["appkey": CloudPayEndToEnd.appKey, "price": "12.50", "type": "alipay", "out_order_id": "S251201120000CHECK1", "custom": "Tea"]
            let good = CloudPaySignature.sign(values, order: CloudPaySignature.createFields, secret: CloudPayEndToEnd.secret)
            let ordered = { (sign: String) in CloudPaySignature.createFields.map { ($0, values[$0] ?? "") } + [("sign", sign)] }

            #expect(try await create(ordered("0" + good.dropFirst()))["code"] as? Int == 104)
            #expect(try await create(ordered(good).filter { $0.0 != "sign" })["code"] as? Int == 103)
            #expect(try await create(ordered(good) + [("notify_url", "http://x")])["code"] as? Int == 106)
            values["price"] = "12.5"
            let oneDecimal = CloudPaySignature.sign(values, order: CloudPaySignature.createFields, secret: CloudPayEndToEnd.secret)
            #expect(try await create(ordered(oneDecimal))["code"] as? Int == 201)
            values["price"] = "12.50"
            let accepted = try await create(ordered(good))
            #expect(accepted["code"] as? Int == 100)
            #expect(await till.sandbox.order("S251201120000CHECK1")?.priceFen == 1250)
        }
    }
}
