import CheckoutCore
import Foundation
import HTTPTransport

extension WantuGateway {
    /// Checks a payment notification Wantu posted to `notify_url` (seed §2.6): JSON or a form,
    /// signed with the merchant key. A missing or wrong signature is `forged`; a body that is
    /// not UTF-8, not an object, or names a key twice is `malformed`. The same notification
    /// may come several times; what it says is idempotent for the till.
    ///
    /// It names our order by `out_trade_no`. The seed's own example has none: then it names
    /// only Wantu's `trade_id` (`paymentOfTrade`), and the receiver finds the order by that
    /// trade, or asks Wantu (`lookUp(trade:)`).
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        guard notification.method.uppercased() == "POST" else { return .malformed("Wantu posts its notifications") }
        guard String(validating: notification.body, as: UTF8.self) != nil else { return .malformed("the body is not UTF-8") }
        let object: [String: WantuJSON]
        if let json = WantuWire.decodeObject(notification.body) {
            object = json
        } else if notification.body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) != UInt8(ascii: "{"),
                  let form = FormEncoding.decode(notification.body) {
            // A body that opens like JSON is judged as JSON only, so a refused one is not read as a form.
            object = form.mapValues { .string($0) }
        } else {
            return .malformed("the body is not a JSON object (or names a key twice) nor a form")
        }
        guard object["sign"]?.text?.isEmpty == false else { return .forged("no signature") }
        guard WantuSignature.verify(WantuWire.signingParameters(object), key: account.key) else {
            return .forged("wrong signature")
        }
        var orderID: OrderID?
        if let orderText = object.text("out_trade_no") {
            guard let id = try? OrderID(orderText) else { return .malformed("no usable out_trade_no") }
            orderID = id
        }
        let tradeID = object.text("trade_id")
        let verdict: PaymentVerdict
        switch object.text("trade_status")?.uppercased() {
        case "SUCCESS"?:
            guard let tradeID, let amount = object.money("total_fee", currencyField: "fee_type", default: account.currency) else {
                return .malformed("a SUCCESS notification without trade_id or total_fee")
            }
            verdict = .paid(PaymentConfirmation(gatewayTradeID: tradeID, amount: amount, paidAt: object.text("trade_time")))
        case nil:
            verdict = .inDoubt("no trade_status")
        default:
            verdict = .notPaid
        }
        if let orderID { return .payment(orderID: orderID, verdict) }
        guard let tradeID else { return .malformed("neither out_trade_no nor trade_id") }
        return .paymentOfTrade(gatewayTradeID: tradeID, verdict)
    }

    /// Asks Wantu about its trade `gatewayTradeID` (a §2.5 query by `trade_id` alone), for a
    /// notification that named only the trade. Believed only when the answer is signed with
    /// our key, echoes the trade asked about and names one of our order numbers; an echoed
    /// merchant or store account must be ours. A notification does not say the wallet, and
    /// `pay_channel` is required: a trade Wantu does not know under WeChat Pay is asked
    /// about under Alipay before it counts as not ours.
    public func lookUp(trade gatewayTradeID: String) async -> TradeLookup {
        for wallet in [Wallet.wechat, .alipay] {
            let answer = await call("query", .idempotent, channel: wallet, ["trade_id": gatewayTradeID])
            if case .verified(WantuReturnCode.orderInvalid.rawValue, _) = answer { continue }
            let verdict = queryVerdict(answer, currency: account.currency)
            guard case .verified(200, let fields) = answer else {
                return .inDoubt("Wantu gave no usable answer about trade \(gatewayTradeID) (\(verdict.logWords))")
            }
            guard let number = fields.text("out_trade_no"), let orderID = try? OrderID(number) else {
                return .inDoubt("Wantu's answer about trade \(gatewayTradeID) names no usable order number")
            }
            return .found(orderID: orderID, verdict)
        }
        return .notFound
    }

    /// The reply Wantu expects (seed §2.6, 响应参数): `return_code` SUCCESS stops the resending;
    /// FAIL, with the reason in `return_msg`, asks for it again later.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        var object: [String: WantuJSON] = ["return_code": .string(handled ? "SUCCESS" : "FAIL")]
        if !handled { object["return_msg"] = .string(String((reason ?? "not handled").prefix(128))) }
        return NotificationReply(status: 200, contentType: "application/json; charset=utf-8", body: WantuWire.compactJSONBytes(.object(object)))
    }
}
