import CheckoutCore
import Foundation
import HTTPTransport

extension PaymaxGateway {
    /// Checks a webhook Paymax posted to `/notify/paymax` (pc-web-payment §webhooks): the
    /// `sign` header (any case) is SHA1withRSA over the raw body with Paymax's public key.
    /// `type` CHARGE gives a payment verdict for the charge's `order_no`; REFUND a refund
    /// verdict, with our refund number when its metadata carries it. The same event (one
    /// `notifyNo`) may come many times; what it says does not change, and the ledger applies
    /// it once.
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        guard notification.method.uppercased() == "POST" else { return .malformed("Paymax posts its webhooks") }
        guard let sign = notification.header("sign"), !sign.isEmpty else { return .forged("no sign header") }
        guard account.paymaxKey.verifySHA1(base64Signature: sign, message: notification.body) else {
            return .forged("wrong signature")
        }
        guard let event = GatewayJSON.parse(notification.body)?.object else {
            return .malformed("the body is not a JSON object (or names a key twice)")
        }
        guard event.text("notifyNo") != nil, let data = event["data"]?.object else {
            return .malformed("no notifyNo or data")
        }
        guard let orderText = data.text("order_no"), let orderID = try? OrderID(orderText) else {
            return .malformed("no usable order_no")
        }
        switch event.text("type")?.uppercased() {
        case "CHARGE":
            guard let amount = data.text("amount").flatMap(PaymaxAmount.money) else { return .malformed("no readable amount") }
            // The ledger checks the amount against the order; the verdict carries what Paymax said.
            let order = OrderReference(orderID: orderID, wallet: .alipay, amount: amount, gatewayTradeID: data.text("id"))
            return .payment(orderID: orderID, chargeVerdict(data, order: order))
        case "REFUND":
            let refundID = Self.refundNumber(data).map(RefundID.init(rawValue:))
            return .refund(orderID: orderID, refundID: refundID, Self.refundVerdict(data))
        case let other:
            return .malformed("unknown event type \(other ?? "(none)")")
        }
    }

    /// Paymax stops resending on HTTP 200 with the plain text `success`; anything else is retried.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        NotificationReply(status: handled ? 200 : 500, contentType: "text/plain; charset=utf-8",
                          body: Array((handled ? "success" : "fail").utf8))
    }
}
