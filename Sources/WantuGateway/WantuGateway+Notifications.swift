import CheckoutCore
import Foundation

extension WantuGateway {
    /// Checks a payment notification Wantu posted to `notify_url`: JSON or a form, signed with the
    /// merchant key. A missing or wrong signature is `forged` and changes nothing. The same
    /// notification may come several times; what it says is idempotent for the till.
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        let object: [String: WantuJSON]
        if let json = WantuWire.decodeObject(notification.body) {
            object = json
        } else if let form = WantuGateway.decodeForm(notification.body) {
            object = form.mapValues { .string($0) }
        } else {
            return .malformed("the body is neither JSON nor a form")
        }
        guard WantuSignature.verify(WantuWire.signingParameters(object), key: account.key) else {
            return .forged(object["sign"] == nil ? "no signature" : "wrong signature")
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

    /// The body Wantu expects back, so that it stops resending (seed §2.6).
    public static func notificationReply(accepted: Bool) -> [UInt8] {
        Array((accepted ? #"{"return_code":200,"return_msg":"SUCCESS"}"# : #"{"return_code":"FAIL","return_msg":"FAIL"}"#).utf8)
    }

    static func decodeForm(_ body: [UInt8]) -> [String: String]? {
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("=") else { return nil }
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2,
                  let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { return nil }
            result[name] = value
        }
        return result
    }
}
