import CheckoutCore
import Foundation
import WantuGateway

extension WantuSandbox {
    /// `pospay`: charge the code scanned from the customer's phone; the amount's cents choose
    /// the outcome (`SandboxScenario`).
    func pospay(_ request: WantuRequest) throws(Refusal) -> Answer {
        let values = try request.require("total_fee", "subject", "out_trade_no", "auth_code", "fee_type", "notify_url")
        let (outTradeNo, authCode) = (values[2], values[3])
        let totalFee = try amount(request, "total_fee")
        try checkOrderNumber(outTradeNo)
        try checkCurrency(values[4], "fee_type")
        let channel = payChannel(request) ?? 0
        guard let codeChannel = Self.payChannel(ofAuthCode: authCode) else {
            throw Refusal(.authCodeInvalid, "auth_code is not a WeChat Pay or Alipay payment code")
        }
        guard codeChannel == channel else {
            throw Refusal(.authCodeInvalid, "auth_code belongs to the other wallet than pay_channel")
        }
        try checkNewOrder(outTradeNo, countingPospay: true)

        let scenario = SandboxScenario(totalFee: totalFee)
        var order = newOrder(request, outTradeNo: outTradeNo, isQR: false, channel: channel,
                             totalFee: totalFee, scenario: scenario)
        if scenario.paysAtOnce { order.markPaid(at: order.createdWall) }
        if scenario == .declinedNotEnough || scenario == .declinedCodeInvalid || scenario == .declinedCodeExpired {
            order.status = .failed
        }
        if scenario == .userPayingThenPaid || scenario == .userPayingNotifiedByTrade {
            order.paysAt = order.createdAt + SandboxScenario.confirmDelay
        }
        order.pospayCalls = 1
        store(order)
        announceWhenPaid(order)

        var fields = orderFields(order)
        fields["out_trade_no"] = .string(outTradeNo)
        switch scenario {
        case .paid, .badSignatureButPaid:
            var answer = Answer(.success, fields: fields)
            answer.badSignature = scenario == .badSignatureButPaid
            return answer
        case .declinedNotEnough:
            return Answer(.notEnough, desc: "the customer's balance is too low", fields: ["out_trade_no": .string(outTradeNo)])
        case .declinedCodeInvalid:
            return Answer(.authCodeInvalid, desc: "the wallet does not recognise the payment code", fields: ["out_trade_no": .string(outTradeNo)])
        case .declinedCodeExpired:
            return Answer(.authCodeExpired, desc: "the payment code has expired", fields: ["out_trade_no": .string(outTradeNo)])
        case .answerNamesAnotherOrder:
            fields["out_trade_no"] = .string(Self.anotherOrderNumber(than: outTradeNo))
            return Answer(.success, fields: fields)
        case .answerNamesAnotherStore:
            fields["store_account"] = .string(Self.anotherStoreAccount(than: account.storeAccount))
            return Answer(.success, fields: fields)
        case .userPayingThenPaid, .userPayingNeverPaid, .userPayingForever, .userPayingNotifiedByTrade:
            return Answer(.userPaying, desc: "the customer is confirming the payment", fields: fields)
        case .systemErrorButPaid:
            return Answer(.systemError, desc: "timeout while waiting for the wallet", fields: ["out_trade_no": .string(outTradeNo)])
        case .noAnswerButPaid:
            return .hanging
        case .droppedButPaid:
            return .dropped
        }
    }

    /// `create-qrcode`: an order the customer pays by scanning; `..10` pays itself after 10 s,
    /// others wait for `payQROrder`.
    func createQRCode(_ request: WantuRequest) throws(Refusal) -> Answer {
        let values = try request.require("total_fee", "subject", "product_id", "out_trade_no", "notify_url", "fee_type")
        let outTradeNo = values[3]
        let totalFee = try amount(request, "total_fee")
        try checkOrderNumber(outTradeNo)
        try checkCurrency(values[5], "fee_type")
        try checkNewOrder(outTradeNo, countingPospay: false)

        let channel = payChannel(request) ?? 0
        var order = newOrder(request, outTradeNo: outTradeNo, isQR: true, channel: channel,
                             totalFee: totalFee, scenario: nil)
        if totalFee % 100 == SandboxScenario.selfPayingQRCents {
            order.paysAt = order.createdAt + SandboxScenario.selfPayingQRDelay
        }
        store(order)
        announceWhenPaid(order)

        var fields: [String: WantuJSON] = [
            "qrcode_url": .string(Self.qrPayload(channel: channel)),
            "out_trade_no": .string(outTradeNo),
            "trade_id": .string(order.tradeID),
            // The seed's example writes this total_fee as a string, pospay's as a number.
            "total_fee": .string(String(totalFee)),
            "fee_type": .string(account.currency.code),
            "store_account": .string(account.storeAccount),
        ]
        if !order.deviceSN.isEmpty { fields["device_sn"] = .string(order.deviceSN) }
        return Answer(.success, fields: fields)
    }

    /// `query`: where an order stands, by out_trade_no or trade_id.
    func query(_ request: WantuRequest) throws(Refusal) -> Answer {
        var order = try findOrder(request)
        order.queryCalls += 1
        order.settle(now: clock.now())
        store(order)
        if order.isQR && order.amountMinor % 100 == SandboxScenario.queryFailingQRCents {
            return Answer(.systemError, desc: "the order service is not answering", fields: ["out_trade_no": .string(order.outTradeNo)])
        }

        var fields = orderFields(order)
        fields["attach"] = .string(order.attach)
        switch order.status {
        case .paid:
            fields["trade_status"] = .string("SUCCESS")
            return Answer(.success, fields: fields)
        case .notPaid:
            fields["trade_status"] = .string("NOT_PAY")
            fields["trade_time"] = nil
            return Answer(.success, fields: fields)
        case .closed:
            // Closed orders keep the seed's vocabulary: never paid, and return_desc says why.
            fields["trade_status"] = .string("NOT_PAY")
            fields["trade_time"] = nil
            return Answer(.success, desc: "closed: the order can no longer be paid", fields: fields)
        case .failed:
            fields["trade_status"] = .string("PAY_EEROR")  // sic: the seed's spelling
            fields["trade_time"] = nil
            return Answer(.success, fields: fields)
        }
    }

    // MARK: - Shared

    /// Refuses an order number already taken: 401 ORDER_PAID when that order is paid,
    /// 400 OUT_TRADE_NO_USED otherwise (also after a cancel of a number never seen).
    func checkNewOrder(_ outTradeNo: String, countingPospay: Bool) throws(Refusal) {
        if var existing = orders[outTradeNo] {
            existing.settle(now: clock.now())
            if countingPospay { existing.pospayCalls += 1 }
            store(existing)
            if existing.status == .paid { throw Refusal(.orderPaid, "out_trade_no is already paid", fields: ["out_trade_no": .string(outTradeNo)]) }
            throw Refusal(.outTradeNoUsed, "out_trade_no was used before", fields: ["out_trade_no": .string(outTradeNo)])
        }
        if cancelledUnknown.contains(outTradeNo) {
            throw Refusal(.outTradeNoUsed, "out_trade_no was cancelled before", fields: ["out_trade_no": .string(outTradeNo)])
        }
    }

    func newOrder(_ request: WantuRequest, outTradeNo: String, isQR: Bool, channel: Int,
                  totalFee: Int64, scenario: SandboxScenario?) -> SandboxOrder {
        let wall = wallClock()
        return SandboxOrder(
            outTradeNo: outTradeNo, tradeID: nextTradeID(at: wall), isQR: isQR, payChannel: channel,
            amountMinor: totalFee, scenario: scenario, status: .notPaid,
            attach: request.text("attach") ?? "", deviceSN: request.text("device_sn") ?? "",
            createdWall: wall, createdAt: clock.now(), notifyURL: request.text("notify_url") ?? "")
    }

    func store(_ order: SandboxOrder) {
        orders[order.outTradeNo] = order
        tradeIndex[order.tradeID] = order.outTradeNo
    }

    /// The order a request names by out_trade_no or trade_id (both must agree when both are
    /// given); 303 when it names none, 402 ORDER_INVALID when there is no such order.
    func findOrder(_ request: WantuRequest) throws(Refusal) -> SandboxOrder {
        let byNumber = request.text("out_trade_no")
        let byTrade = request.text("trade_id")
        guard byNumber != nil || byTrade != nil else { throw Refusal(.paramMissing, "missing out_trade_no or trade_id") }
        let number = byNumber ?? byTrade.flatMap { tradeIndex[$0] }
        guard let number, var order = orders[number], byTrade == nil || byTrade == order.tradeID else {
            throw Refusal(.orderInvalid, "no such order")
        }
        order.settle(now: clock.now())
        return order
    }

    /// The fields pospay and query answers share.
    func orderFields(_ order: SandboxOrder) -> [String: WantuJSON] {
        var fields: [String: WantuJSON] = [
            "out_trade_no": .string(order.outTradeNo),
            "trade_id": .string(order.tradeID),
            "total_fee": .integer(order.amountMinor),
            "fee_type": .string(account.currency.code),
            "store_account": .string(account.storeAccount),
        ]
        if let paid = order.paidWall { fields["trade_time"] = .string(dates.string(paid)) }
        if !order.deviceSN.isEmpty { fields["device_sn"] = .string(order.deviceSN) }
        return fields
    }

    /// An order number one character away from `number`: the answer mix-up of `..12`.
    static func anotherOrderNumber(than number: String) -> String {
        String(number.dropLast()) + (number.last == "0" ? "1" : "0")
    }

    /// A store account one digit away from `store`: the answer mix-up of `..13`.
    static func anotherStoreAccount(than store: String) -> String {
        String(store.dropLast()) + (store.last == "9" ? "8" : "9")
    }

    /// A fresh QR payload: WeChat's `weixin://wxpay/bizpayurl?pr=` with 10 letters and digits,
    /// or an Alipay `https://qr.alipay.com/` link.
    static func qrPayload(channel: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        func token(_ count: Int, _ letters: [Character]) -> String {
            String((0..<count).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
        }
        if channel == 1 { return "weixin://wxpay/bizpayurl?pr=" + token(10, alphabet) }
        return "https://qr.alipay.com/" + token(23, Array("abcdefghijklmnopqrstuvwxyz0123456789"))
    }
}
