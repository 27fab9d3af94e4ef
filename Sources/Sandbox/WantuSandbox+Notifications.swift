import CheckoutCore
import Foundation
import HTTPTransport
import WantuGateway

extension WantuSandbox {
    /// Announces `order` now if it is paid, or when it pays itself (`paysAt`), as Wantu posts
    /// to the order's `notify_url` (seed §2.6). Nothing happens without `deliveries`.
    func announceWhenPaid(_ order: SandboxOrder) {
        guard deliveries != nil else { return }
        if order.status == .paid { return announce(order) }
        guard let due = order.paysAt else { return }
        let number = order.outTradeNo
        let wait = max(.zero, due - clock.now())
        Task { [clock] in
            guard (try? await clock.sleep(wait)) != nil else { return }
            self.announceIfPaid(number)
        }
    }

    func announceIfPaid(_ outTradeNo: String) {
        guard var order = orders[outTradeNo] else { return }
        order.settle(now: clock.now())
        orders[outTradeNo] = order
        saveIfChanged()
        if order.status == .paid { announce(order) }
    }

    /// Posts the signed notification of a paid order, retrying until the till answers SUCCESS.
    func announce(_ order: SandboxOrder) {
        guard let deliveries, order.status == .paid, !order.notifyURL.isEmpty else { return }
        let body = notificationBody(order)
        let number = order.outTradeNo
        Task {
            await deliveries.deliver(body, contentType: "application/json; charset=utf-8", to: order.notifyURL, order: number) { response in
                WantuWire.decodeObject(response.body)?["return_code"]?.text == "SUCCESS"
            }
        }
    }

    /// The notification of seed §2.6 for a paid order, signed with the account's key. An order
    /// of `..14` cents is announced as the seed's example is written: by `trade_id` alone.
    func notificationBody(_ order: SandboxOrder) -> [UInt8] {
        var object: [String: WantuJSON] = [
            "return_code": .string("200"),
            "return_msg": .string("SUCCESS"),
            "merchant_account": .string(account.merchantAccount),
            "total_fee": .integer(order.amountMinor),
            "fee_type": .string(account.currency.code),
            "subject": .string("Training sale"),
            "out_trade_no": .string(order.outTradeNo),
            "trade_id": .string(order.tradeID),
            "trade_status": .string("SUCCESS"),
            "attach": .string(order.attach),
        ]
        if let paid = order.paidWall { object["trade_time"] = .string(dates.string(paid)) }
        if order.amountMinor % 100 == SandboxScenario.notifiedByTradeCents { object["out_trade_no"] = nil }
        object["sign"] = .string(WantuSignature.sign(WantuWire.signingParameters(object), key: account.key))
        return Self.encode(object)
    }
}
