import CheckoutCore
import Foundation
import Sandbox
import Testing
import TestSupport
import WantuGateway

/// A sandbox on a stepping clock whose wall time moves with it, and a client that signs
/// requests the way a till does.
struct SandboxHarness {
    /// 2024-03-08 09:00:00 in Hong Kong.
    static let opening = Date(timeIntervalSince1970: 1_709_859_600)
    static let wechatCode = "134642301183243245"
    static let alipayCode = "287654321098765432"

    let clock = SteppingClock()
    let account = SandboxAccount.training
    let logs = CapturedLogs()
    let sandbox: WantuSandbox

    /// `deliveries`, when given, posts each paid order's notification (through a fake transport).
    init(deliveries: ((CheckoutClock) -> SandboxDeliveries)? = nil) {
        let clock = self.clock
        let logs = self.logs
        sandbox = WantuSandbox(
            account: .training, clock: clock.checkoutClock,
            wallClock: {
                let offset = clock.now.offset.components
                return SandboxHarness.opening.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
            },
            logger: logs.logger("sandbox-test"),
            deliveries: deliveries?(clock.checkoutClock))
    }

    /// The common parameters of a correct request.
    func common(channel: String = "1") -> [String: String] {
        ["merchant_account": account.merchantAccount, "store_account": account.storeAccount,
         "pay_channel": channel, "send_time": "2024-03-08 09:00:00", "version": "1.0"]
    }

    func signedBody(_ parameters: [String: String], key: String? = nil) -> [UInt8] {
        var parameters = parameters
        parameters["sign"] = WantuSignature.sign(parameters, key: key ?? account.key)
        return WantuWire.encodeRequest(parameters)
    }

    /// A signed request with the common parameters and `business` on top.
    func call(_ endpoint: String, _ business: [String: String], channel: String = "1") async -> SandboxAnswer {
        await send(endpoint, signedBody(common(channel: channel).merging(business) { $1 }))
    }

    func send(_ endpoint: String, _ body: [UInt8]) async -> SandboxAnswer {
        SandboxAnswer(await sandbox.handle(path: "/paygate/\(endpoint)", body: body), key: account.key)
    }

    func pospay(_ fee: String, order: String, code: String = SandboxHarness.wechatCode, channel: String = "1") async -> SandboxAnswer {
        await call("pospay", ["total_fee": fee, "subject": "Jasmine tea", "out_trade_no": order, "auth_code": code,
                              "fee_type": "HKD", "notify_url": "http://127.0.0.1:9/notify"], channel: channel)
    }

    func createQR(_ fee: String, order: String, channel: String = "1") async -> SandboxAnswer {
        await call("create-qrcode", ["total_fee": fee, "subject": "Jasmine tea", "product_id": "tea", "out_trade_no": order,
                                     "fee_type": "HKD", "notify_url": "http://127.0.0.1:9/notify"], channel: channel)
    }

    func query(_ order: String) async -> SandboxAnswer { await call("query", ["out_trade_no": order]) }

    func refund(_ order: String, total: String, fee: String, number: String) async -> SandboxAnswer {
        await call("refund", ["out_trade_no": order, "total_fee": total, "refund_fee": fee,
                              "refund_fee_type": "HKD", "out_refund_no": number])
    }
}

/// A sandbox reply read as a till reads it.
struct SandboxAnswer {
    var status: Int
    var fields: [String: WantuJSON]
    /// The signature checks out under the account's key.
    var verified: Bool
    var hung = false
    /// The connection was closed without an answer.
    var dropped = false

    init(_ reply: SandboxReply, key: String) {
        switch reply {
        case .hang:
            (status, fields, verified, hung) = (0, [:], false, true)
        case .drop:
            (status, fields, verified, dropped) = (0, [:], false, true)
        case .answer(let status, let body, _, _):
            self.status = status
            fields = WantuWire.decodeObject(body) ?? [:]
            verified = WantuSignature.verify(WantuWire.signingParameters(fields), key: key)
        }
    }

    /// `return_code`, only when sent as a JSON number (as Wantu's examples do).
    var code: Int? {
        if case .integer(let value)? = fields["return_code"] { return Int(value) }
        return nil
    }

    func text(_ name: String) -> String? { fields[name]?.text }
}

// MARK: - pospay scenarios

@Suite struct SandboxPospayTests {
    @Test func anAmountWithoutScenarioCentsIsPaidAtOnceWithASignedAnswer() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("1250", order: "S0001")
        #expect(answer.status == 200)
        #expect(answer.code == 200)
        #expect(answer.text("return_msg") == "SUCCESS")
        #expect(answer.verified)
        #expect(answer.fields["total_fee"] == .integer(1250))
        #expect(answer.text("fee_type") == "HKD")
        #expect(answer.text("trade_time") == "2024-03-08 09:00:00")
        #expect(answer.text("store_account") == h.account.storeAccount)
        let tradeID = try #require(answer.text("trade_id"))
        #expect(tradeID.hasPrefix("100020240308090000"))
        #expect(tradeID.count == 24)

        let order = try #require(await h.sandbox.order("S0001"))
        #expect(order.status == .paid)
        #expect(order.tradeID == tradeID)
        #expect(order.amount == Money(minorUnits: 1250, currency: .hkd))
        #expect(order.pospayCalls == 1)
    }

    @Test(arguments: [("101", 502, "NOT_ENOUGH"), ("102", 505, "AUTH_CODE_INVALID"), ("103", 507, "AUTH_CODE_EXPIRED")])
    func declinesTakeNothingAndQueryAsPayError(fee: String, code: Int, message: String) async throws {
        let h = SandboxHarness()
        let answer = await h.pospay(fee, order: "S0002")
        #expect(answer.code == code)
        #expect(answer.text("return_msg") == message)
        #expect(answer.verified)
        let query = await h.query("S0002")
        #expect(query.code == 200)
        #expect(query.text("trade_status") == "PAY_EEROR")
        #expect(query.text("trade_time") == nil)
        #expect(await h.sandbox.order("S0002")?.status == .failed)
    }

    @Test func userPayingThenPaidEightSecondsLater() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("204", order: "S0004")
        #expect(answer.code == 506)
        #expect(answer.text("return_msg") == "USER_PAYING")
        #expect(answer.verified)

        h.clock.advance(by: .milliseconds(7_999))
        let early = await h.query("S0004")
        #expect(early.text("trade_status") == "NOT_PAY")
        #expect(early.verified)

        h.clock.advance(by: .milliseconds(1))
        let paid = await h.query("S0004")
        #expect(paid.text("trade_status") == "SUCCESS")
        #expect(paid.text("trade_time") == "2024-03-08 09:00:08")
        #expect(paid.fields["total_fee"] == .integer(204))
        #expect(paid.verified)
        #expect(await h.sandbox.order("S0004")?.queryCalls == 2)
    }

    @Test func userPayingNeverPaidCanBeCancelled() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("305", order: "S0005").code == 506)
        h.clock.advance(by: .seconds(120))
        #expect(await h.query("S0005").text("trade_status") == "NOT_PAY")

        let cancel = await h.call("cancel", ["out_trade_no": "S0005"])
        #expect(cancel.code == 200)
        #expect(cancel.verified)
        let after = await h.query("S0005")
        #expect(after.text("trade_status") == "NOT_PAY")
        #expect(after.text("return_desc")?.contains("closed") == true)
        #expect(await h.sandbox.order("S0005")?.status == .closed)
    }

    @Test func systemErrorButThePaymentWentThrough() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("406", order: "S0006")
        #expect(answer.code == 500)
        #expect(answer.text("return_msg") == "SYSTEM_ERROR")
        #expect(answer.verified)
        let query = await h.query("S0006")
        #expect(query.text("trade_status") == "SUCCESS")
        #expect(query.verified)
    }

    @Test func noAnswerButThePaymentWentThrough() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("507", order: "S0007")
        #expect(answer.hung)
        let query = await h.query("S0007")
        #expect(query.text("trade_status") == "SUCCESS")
        #expect(query.verified)
        #expect(await h.sandbox.order("S0007")?.status == .paid)
    }

    @Test func aDroppedConnectionButThePaymentWentThrough() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("515", order: "S0015")
        #expect(answer.dropped)
        let query = await h.query("S0015")
        #expect(query.text("trade_status") == "SUCCESS")
        #expect(query.verified)
        #expect(await h.sandbox.order("S0015")?.pospayCalls == 1)
    }

    @Test func wronglySignedSuccessButQueryIsSignedWell() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("608", order: "S0008")
        #expect(answer.code == 200)
        #expect(answer.text("return_msg") == "SUCCESS")
        #expect(!answer.verified)
        #expect(answer.text("sign")?.count == 32)
        let query = await h.query("S0008")
        #expect(query.text("trade_status") == "SUCCESS")
        #expect(query.verified)
    }

    @Test func userPayingForeverRefusesEveryCancel() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("709", order: "S0009").code == 506)
        for _ in 0..<3 {
            h.clock.advance(by: .seconds(30))
            let cancel = await h.call("cancel", ["out_trade_no": "S0009"])
            #expect(cancel.code == 506)
            #expect(cancel.text("return_msg") == "USER_PAYING")
            #expect(cancel.verified)
        }
        #expect(await h.query("S0009").text("trade_status") == "NOT_PAY")
        let order = try #require(await h.sandbox.order("S0009"))
        #expect(order.status == .notPaid)
        #expect(order.cancelCalls == 3)
    }

    @Test func alipayCodesPayOnChannelTwo() async throws {
        let h = SandboxHarness()
        let answer = await h.pospay("990", order: "S0010", code: SandboxHarness.alipayCode, channel: "2")
        #expect(answer.code == 200)
        #expect(answer.verified)
        #expect(await h.sandbox.order("S0010")?.payChannel == 2)
    }

    @Test func aUsedOrderNumberIsRefusedAndNeverChargedTwice() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("305", order: "S0011").code == 506)
        let again = await h.pospay("305", order: "S0011")
        #expect(again.code == 400)
        #expect(again.text("return_msg") == "OUT_TRADE_NO_USED")
        #expect(again.verified)

        #expect(await h.pospay("100", order: "S0012").code == 200)
        let paidAgain = await h.pospay("100", order: "S0012")
        #expect(paidAgain.code == 401)
        #expect(paidAgain.text("return_msg") == "ORDER_PAID")
        let order = try #require(await h.sandbox.order("S0012"))
        #expect(order.pospayCalls == 2)
        #expect(order.status == .paid)
    }

    @Test func logsMaskThePaymentCodeAndNeverHoldTheKey() async throws {
        let h = SandboxHarness()
        _ = await h.pospay("100", order: "S0013")
        _ = await h.pospay("100", order: "S0014", code: "13464230118324")  // too short: refused, still logged
        let lines = h.logs.all
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains(SandboxHarness.wechatCode) && !$0.contains("13464230118324") })
        #expect(lines.allSatisfy { !$0.contains(h.account.key) })
        #expect(lines[0].contains("1346**********3245"))
        #expect(lines[0].contains("S0013"))
        #expect(lines[0].contains("/paygate/pospay"))
        #expect(lines[1].contains("505"))
    }
}

// MARK: - QR orders

@Suite struct SandboxQRTests {
    @Test func aWeChatQROrderWaitsForTheCustomer() async throws {
        let h = SandboxHarness()
        let answer = await h.createQR("2000", order: "Q0001")
        #expect(answer.code == 200)
        #expect(answer.verified)
        let url = try #require(answer.text("qrcode_url"))
        #expect(url.wholeMatch(of: /weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]{10}/) != nil)
        #expect(answer.text("total_fee") == "2000")
        #expect(answer.text("trade_id")?.count == 24)

        h.clock.advance(by: .seconds(300))
        #expect(await h.query("Q0001").text("trade_status") == "NOT_PAY")
        #expect(await h.sandbox.payQROrder("Q0001"))
        let paid = await h.query("Q0001")
        #expect(paid.text("trade_status") == "SUCCESS")
        #expect(paid.text("trade_time") == "2024-03-08 09:05:00")
        #expect(await h.sandbox.payQROrder("Q0001") == false)
        #expect(await h.sandbox.payQROrder("Q9999") == false)
    }

    @Test func anAlipayQROrderGetsAnAlipayLink() async throws {
        let h = SandboxHarness()
        let answer = await h.createQR("2000", order: "Q0002", channel: "2")
        let url = try #require(answer.text("qrcode_url"))
        #expect(url.wholeMatch(of: /https:\/\/qr\.alipay\.com\/[a-z0-9]+/) != nil)
        #expect(answer.verified)
    }

    @Test func tenCentsPaysItselfAfterTenSeconds() async throws {
        let h = SandboxHarness()
        #expect(await h.createQR("1510", order: "Q0003").code == 200)
        h.clock.advance(by: .milliseconds(9_999))
        #expect(await h.query("Q0003").text("trade_status") == "NOT_PAY")
        h.clock.advance(by: .milliseconds(1))
        let paid = await h.query("Q0003")
        #expect(paid.text("trade_status") == "SUCCESS")
        #expect(paid.text("trade_time") == "2024-03-08 09:00:10")
    }

    @Test func aQueryFindsTheOrderByTradeID() async throws {
        let h = SandboxHarness()
        let tradeID = try #require(await h.createQR("2000", order: "Q0004").text("trade_id"))
        let byTrade = await h.call("query", ["trade_id": tradeID])
        #expect(byTrade.code == 200)
        #expect(byTrade.text("out_trade_no") == "Q0004")

        let unknown = await h.query("Q0404")
        #expect(unknown.code == 402)
        #expect(unknown.text("return_msg") == "ORDER_INVALID")
        #expect(unknown.verified)

        let mismatched = await h.call("query", ["out_trade_no": "Q0004", "trade_id": tradeID + "1"])
        #expect(mismatched.code == 402)
        let neither = await h.call("query", [:])
        #expect(neither.code == 303)
    }
}

// MARK: - Cancel and close

@Suite struct SandboxCancelCloseTests {
    @Test func cancellingAnUnknownOrderSucceedsAndBurnsTheNumber() async throws {
        let h = SandboxHarness()
        let cancel = await h.call("cancel", ["out_trade_no": "C0001"])
        #expect(cancel.code == 200)
        #expect(cancel.verified)
        #expect(await h.pospay("100", order: "C0001").code == 400)
        #expect(await h.sandbox.order("C0001") == nil)
    }

    @Test func aPaidOrderIsNotReversed() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("100", order: "C0002").code == 200)
        let cancel = await h.call("cancel", ["out_trade_no": "C0002"])
        #expect(cancel.code == 401)
        #expect(cancel.text("return_msg") == "ORDER_PAID")
        #expect(await h.sandbox.order("C0002")?.status == .paid)
    }

    @Test func aCancelledQROrderCanNoLongerBePaid() async throws {
        let h = SandboxHarness()
        _ = await h.createQR("2000", order: "C0003")
        #expect(await h.call("cancel", ["out_trade_no": "C0003"]).code == 200)
        #expect(await h.sandbox.payQROrder("C0003") == false)
        #expect(await h.call("cancel", ["out_trade_no": "C0003"]).code == 200)
        #expect(await h.query("C0003").text("trade_status") == "NOT_PAY")
    }

    @Test func closingStopsAQROrderThatWouldHavePaidItself() async throws {
        let h = SandboxHarness()
        _ = await h.createQR("2010", order: "C0004")
        h.clock.advance(by: .seconds(5))
        let close = await h.call("close", ["out_trade_no": "C0004"])
        #expect(close.code == 200)
        #expect(close.verified)
        h.clock.advance(by: .seconds(60))
        #expect(await h.query("C0004").text("trade_status") == "NOT_PAY")
        let order = try #require(await h.sandbox.order("C0004"))
        #expect(order.status == .closed)
        #expect(order.closeCalls == 1)
    }

    @Test func closingAPaidOrUnknownOrderIsRefused() async throws {
        let h = SandboxHarness()
        _ = await h.createQR("2000", order: "C0005")
        #expect(await h.sandbox.payQROrder("C0005"))
        #expect(await h.call("close", ["out_trade_no": "C0005"]).code == 401)
        let unknown = await h.call("close", ["out_trade_no": "C0404"])
        #expect(unknown.code == 402)
        #expect(unknown.verified)
    }
}

// MARK: - Refunds

@Suite struct SandboxRefundTests {
    @Test func refundsAreIdempotentAndLimitedToWhatRemains() async throws {
        let h = SandboxHarness()
        let tradeID = try #require(await h.pospay("1000", order: "R0001").text("trade_id"))

        let first = await h.refund("R0001", total: "1000", fee: "300", number: "R0001R1")
        #expect(first.code == 200)
        #expect(first.verified)
        #expect(first.text("refund_id") == "\(tradeID)_0")
        #expect(first.fields["refund_fee"] == .integer(300))
        #expect(first.text("out_refund_no") == "R0001R1")

        let retry = await h.refund("R0001", total: "1000", fee: "300", number: "R0001R1")
        #expect(retry.code == 200)
        #expect(retry.text("refund_id") == "\(tradeID)_0")

        let changed = await h.refund("R0001", total: "1000", fee: "400", number: "R0001R1")
        #expect(changed.code == 508)
        #expect(changed.text("return_msg") == "REFUND_ERROR")

        let tooMuch = await h.refund("R0001", total: "1000", fee: "701", number: "R0001R2")
        #expect(tooMuch.code == 508)
        #expect(tooMuch.verified)
        let rest = await h.refund("R0001", total: "1000", fee: "700", number: "R0001R2")
        #expect(rest.code == 200)
        #expect(rest.text("refund_id") == "\(tradeID)_1")
        #expect(await h.refund("R0001", total: "1000", fee: "1", number: "R0001R3").code == 508)

        let order = try #require(await h.sandbox.order("R0001"))
        #expect(order.refundCount == 2)
        #expect(order.refundedTotal == Money(minorUnits: 1000, currency: .hkd))
        #expect(order.refundCalls == 6)
    }

    @Test func aHangingRefundIsCarriedOutOnceAndTheRetryAnswers() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("1000", order: "R0002").code == 200)
        let first = await h.refund("R0002", total: "1000", fee: "107", number: "R0002R1")
        #expect(first.hung)
        let retry = await h.refund("R0002", total: "1000", fee: "107", number: "R0002R1")
        #expect(retry.code == 200)
        #expect(retry.verified)
        let again = await h.refund("R0002", total: "1000", fee: "107", number: "R0002R1")
        #expect(again.text("refund_id") == retry.text("refund_id"))
        let order = try #require(await h.sandbox.order("R0002"))
        #expect(order.refundCount == 1)
        #expect(order.refundedTotal.minorUnits == 107)
    }

    @Test func onlyPaidOrdersAreRefunded() async throws {
        let h = SandboxHarness()
        _ = await h.createQR("1000", order: "R0003")
        let unpaid = await h.refund("R0003", total: "1000", fee: "100", number: "R0003R1")
        #expect(unpaid.code == 402)
        #expect(unpaid.verified)
        #expect(await h.refund("R0404", total: "1000", fee: "100", number: "R0404R1").code == 402)
    }

    @Test func malformedRefundsAreRefused() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("1000", order: "R0004").code == 200)
        #expect(await h.refund("R0004", total: "1000", fee: "0", number: "R0004R1").code == 508)
        #expect(await h.refund("R0004", total: "1000", fee: "1.5", number: "R0004R1").code == 508)
        #expect(await h.refund("R0004", total: "999", fee: "100", number: "R0004R1").code == 304)
        let currency = await h.call("refund", ["out_trade_no": "R0004", "total_fee": "1000", "refund_fee": "100",
                                               "refund_fee_type": "USD", "out_refund_no": "R0004R1"])
        #expect(currency.code == 509)
        let missing = await h.call("refund", ["out_trade_no": "R0004", "total_fee": "1000", "refund_fee": "100",
                                              "refund_fee_type": "HKD"])
        #expect(missing.code == 303)
        #expect(missing.text("return_desc")?.contains("out_refund_no") == true)
        #expect(await h.sandbox.order("R0004")?.refundCount == 0)
    }

    @Test func aRefundNumberBelongsToOneOrder() async throws {
        let h = SandboxHarness()
        #expect(await h.pospay("1000", order: "R0005").code == 200)
        #expect(await h.pospay("1000", order: "R0006").code == 200)
        #expect(await h.refund("R0005", total: "1000", fee: "100", number: "RX1").code == 200)
        #expect(await h.refund("R0006", total: "1000", fee: "100", number: "RX1").code == 508)
        #expect(await h.sandbox.order("R0006")?.refundCount == 0)
    }
}

// MARK: - Order list, rate, merchant QR

@Suite struct SandboxReportTests {
    @Test func theOrderListHoldsPaymentsAndRefundsInTheWindow() async throws {
        let h = SandboxHarness()
        let small = try #require(await h.pospay("10", order: "L0001").text("trade_id"))   // 09:00:00, HKD 0.10
        h.clock.advance(by: .seconds(30))
        #expect(await h.refund("L0001", total: "10", fee: "4", number: "L0001R1").code == 200)  // 09:00:30
        _ = await h.pospay("305", order: "L0002")  // never paid: not listed
        h.clock.advance(by: .seconds(3 * 86_400))
        #expect(await h.pospay("2500", order: "L0003").code == 200)  // 2024-03-11 09:00:30

        let day = await h.call("order-list", ["start_date": "2024-03-08 00:00:00", "end_date": "2024-03-08 23:59:59"])
        #expect(day.code == 200)
        #expect(day.verified)
        guard case .array(let lines)? = day.fields["order_list"] else {
            Issue.record("no order_list")
            return
        }
        #expect(lines.count == 2)
        guard case .object(let payment) = lines[0], case .object(let refund) = lines[1] else {
            Issue.record("order_list entries are not objects")
            return
        }
        #expect(payment["type"] == .integer(1))
        #expect(payment["trade_id"] == .string(small))
        #expect(payment["out_trade_no"] == .string("L0001"))
        #expect(payment["total_fee"] == .number(0.1))
        #expect(payment["date_added"] == .string("2024-03-08 09:00:00"))
        #expect(payment["refund_id"] == .string(""))
        #expect(payment["fee_type"] == .string("HKD"))
        #expect(refund["type"] == .integer(-1))
        #expect(refund["refund_id"] == .string("\(small)_0"))
        #expect(refund["out_refund_no"] == .string("L0001R1"))
        #expect(refund["total_fee"] == .number(0.04))
        #expect(refund["date_added"] == .string("2024-03-08 09:00:30"))

        let week = await h.call("order-list", ["start_date": "2024-03-05 00:00:00", "end_date": "2024-03-12 00:00:00"])
        guard case .array(let all)? = week.fields["order_list"], case .object(let last)? = all.last else {
            Issue.record("no order_list")
            return
        }
        #expect(all.count == 3)
        #expect(last["out_trade_no"] == .string("L0003"))
        #expect(last["total_fee"] == .integer(25))
        #expect(week.verified)
    }

    @Test func theWindowIsAtMostSevenDaysAndInOrder() async throws {
        let h = SandboxHarness()
        let exactly = await h.call("order-list", ["start_date": "2024-03-01 00:00:00", "end_date": "2024-03-08 00:00:00"])
        #expect(exactly.code == 200)
        let tooLong = await h.call("order-list", ["start_date": "2024-03-01 00:00:00", "end_date": "2024-03-08 00:00:01"])
        #expect(tooLong.code == 304)
        #expect(tooLong.text("return_msg") == "PARAM_ERROR")
        #expect(tooLong.verified)
        let backwards = await h.call("order-list", ["start_date": "2024-03-08 00:00:00", "end_date": "2024-03-07 23:59:59"])
        #expect(backwards.code == 304)
        let badDate = await h.call("order-list", ["start_date": "2024-02-30 00:00:00", "end_date": "2024-03-01 00:00:00"])
        #expect(badDate.code == 304)
        let missing = await h.call("order-list", ["start_date": "2024-03-01 00:00:00"])
        #expect(missing.code == 303)
        #expect(missing.text("return_desc")?.contains("end_date") == true)
    }

    @Test func theRateIsQuotedForTheStoreCurrencyOnly() async throws {
        let h = SandboxHarness()
        let hkd = await h.call("currency", ["fee_type": "HKD"])
        #expect(hkd.code == 200)
        #expect(hkd.text("currency") == "0.87080000")
        #expect(hkd.verified)
        #expect(await h.call("currency", [:]).text("currency") == "0.87080000")
        #expect(await h.call("currency", ["fee_type": "JPY"]).code == 509)
    }

    @Test func theMerchantQRCodeIsFixed() async throws {
        let h = SandboxHarness()
        let first = await h.call("merchant-qrcode", [:], channel: "2")
        let second = await h.call("merchant-qrcode", [:], channel: "2")
        #expect(first.code == 200)
        #expect(first.verified)
        #expect(first.text("qrcode_url")?.hasPrefix("https://qr.alipay.com/") == true)
        #expect(first.text("qrcode_url") == second.text("qrcode_url"))
    }
}

// MARK: - Request checks

@Suite struct SandboxRequestCheckTests {
    let h = SandboxHarness()

    var pospayParameters: [String: String] {
        h.common().merging(["total_fee": "100", "subject": "Tea", "out_trade_no": "K0001",
                            "auth_code": SandboxHarness.wechatCode, "fee_type": "HKD",
                            "notify_url": "http://127.0.0.1:9/notify"]) { $1 }
    }

    func pospay(_ change: (inout [String: String]) -> Void) async -> SandboxAnswer {
        var parameters = pospayParameters
        change(&parameters)
        return await h.send("pospay", h.signedBody(parameters))
    }

    @Test(arguments: ["not json", "<html><body><h1>502 Bad Gateway</h1></body></html>", "[1,2]", "{\"total_fee\":", ""])
    func aBodyThatIsNotAJSONObjectIsADataFormatError(body: String) async throws {
        let answer = await h.send("pospay", Array(body.utf8))
        #expect(answer.code == 300)
        #expect(answer.text("return_msg") == "DATA_FORMAT_ERROR")
        #expect(answer.verified)
    }

    @Test func aMissingOrWrongSignatureIsASignError() async throws {
        var unsigned = pospayParameters
        unsigned["sign"] = nil
        let missing = await h.send("pospay", WantuWire.encodeRequest(unsigned))
        #expect(missing.code == 301)
        #expect(missing.text("return_msg") == "SIGN_ERROR")
        #expect(missing.verified)

        let wrongKey = await h.send("pospay", h.signedBody(pospayParameters, key: "not-the-key"))
        #expect(wrongKey.code == 301)

        var tampered = pospayParameters
        tampered["sign"] = WantuSignature.sign(tampered, key: h.account.key)
        tampered["total_fee"] = "1"
        #expect(await h.send("pospay", WantuWire.encodeRequest(tampered)).code == 301)
        #expect(await h.sandbox.order("K0001") == nil)
    }

    @Test func aLowerCaseSignatureIsAccepted() async throws {
        var parameters = pospayParameters
        parameters["sign"] = WantuSignature.sign(parameters, key: h.account.key).lowercased()
        #expect(await h.send("pospay", WantuWire.encodeRequest(parameters)).code == 200)
    }

    @Test func anotherMerchantOrStoreHasNoPrivilege() async throws {
        let merchant = await pospay { $0["merchant_account"] = "HKG9999999999" }
        #expect(merchant.code == 302)
        #expect(merchant.text("return_msg") == "NO_PRIVILEGE")
        #expect(merchant.verified)
        #expect(await pospay { $0["store_account"] = "HKG9999999999" }.code == 302)
    }

    @Test(arguments: ["total_fee", "subject", "out_trade_no", "auth_code", "fee_type", "notify_url",
                      "pay_channel", "send_time", "version", "merchant_account"])
    func aMissingParameterIsNamed(name: String) async throws {
        let answer = await pospay { $0[name] = nil }
        #expect(answer.code == 303)
        #expect(answer.text("return_msg") == "PARAM_MISSING")
        #expect(answer.text("return_desc")?.contains(name) == true)
        #expect(answer.verified)
    }

    @Test(arguments: [("version", "2.0"), ("send_time", "2024-03-08T09:00:00"), ("send_time", "2024-13-01 09:00:00"),
                      ("pay_channel", "3"), ("total_fee", "10.5"), ("total_fee", "0"), ("total_fee", "-100"),
                      ("total_fee", "abc"), ("total_fee", "123456789012")])
    func aMalformedParameterIsAParamError(name: String, value: String) async throws {
        let answer = await pospay { $0[name] = value }
        #expect(answer.code == 304)
        #expect(answer.text("return_msg") == "PARAM_ERROR")
        #expect(answer.text("return_desc")?.contains(name) == true)
    }

    @Test func anotherCurrencyIsUnsupported() async throws {
        let answer = await pospay { $0["fee_type"] = "USD" }
        #expect(answer.code == 509)
        #expect(answer.text("return_msg") == "UNSUPPORTED_CURRENCY")
    }

    @Test(arguments: [("1", "12345"), ("1", "164642301183243245"), ("1", "13464230118324324A"),
                      ("2", SandboxHarness.wechatCode), ("1", SandboxHarness.alipayCode)])
    func aCodeThatIsNotTheChannelsIsInvalid(channel: String, code: String) async throws {
        let answer = await pospay {
            $0["pay_channel"] = channel
            $0["auth_code"] = code
        }
        #expect(answer.code == 505)
        #expect(answer.text("return_msg") == "AUTH_CODE_INVALID")
        #expect(await h.sandbox.order("K0001") == nil)
    }

    @Test func valuesMayBeJSONNumbers() async throws {
        var object = pospayParameters.mapValues { WantuJSON.string($0) }
        object["pay_channel"] = .integer(1)
        object["total_fee"] = .integer(100)
        object["sign"] = .string(WantuSignature.sign(WantuWire.signingParameters(object), key: h.account.key))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try encoder.encode(WantuJSON.object(object))
        #expect(String(decoding: body, as: UTF8.self).contains(#""total_fee":100"#))
        let answer = await h.send("pospay", Array(body))
        #expect(answer.code == 200)
        #expect(answer.verified)
    }

    @Test func anUnknownPathIsNotFound() async throws {
        let reply = await h.sandbox.handle(path: "/paygate/pay-form", body: h.signedBody(h.common()))
        guard case .answer(let status, _, _, _) = reply else {
            Issue.record("expected an answer, got \(reply)")
            return
        }
        #expect(status == 404)
    }
}
