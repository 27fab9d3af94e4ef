import CheckoutCore
import Foundation
import HTTPTransport

extension WantuGateway {
    /// Checks a payment notification Wantu posted to `notify_url` (seed §2.6): JSON or a form,
    /// signed with the merchant key. A missing or wrong signature is `forged`; a body that is
    /// not UTF-8, not an object, or names a key twice is `malformed`. The same notification
    /// may come several times; what it says is idempotent for the till.
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
        guard let orderText = object.text("out_trade_no"), let orderID = try? OrderID(orderText) else {
            return .malformed("no usable out_trade_no")
        }
        let status = object.text("trade_status")?.uppercased()
        guard status == "SUCCESS" else { return .payment(orderID: orderID, status == nil ? .inDoubt("no trade_status") : .notPaid) }
        guard let tradeID = object.text("trade_id"),
              let amount = object.money("total_fee", currencyField: "fee_type", default: account.currency) else {
            return .malformed("a SUCCESS notification without trade_id or total_fee")
        }
        return .payment(orderID: orderID, .paid(PaymentConfirmation(gatewayTradeID: tradeID, amount: amount, paidAt: object.text("trade_time"))))
    }

    /// The reply Wantu expects (seed §2.6, 响应参数): `return_code` SUCCESS stops the resending;
    /// FAIL, with the reason in `return_msg`, asks for it again later.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        var object: [String: WantuJSON] = ["return_code": .string(handled ? "SUCCESS" : "FAIL")]
        if !handled { object["return_msg"] = .string(String((reason ?? "not handled").prefix(128))) }
        return NotificationReply(status: 200, contentType: "application/json; charset=utf-8", body: WantuWire.compactJSONBytes(.object(object)))
    }
}
