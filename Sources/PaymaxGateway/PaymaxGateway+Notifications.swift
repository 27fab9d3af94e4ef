import CheckoutCore
import Foundation
import HTTPTransport

extension PaymaxGateway {
    /// Paymax signs webhooks with its own key (pc-web-payment §如何验签: "Paymax官方私钥"), which
    /// may be one platform key for every merchant: a correctly signed CHARGE webhook names some
    /// charge, not necessarily ours. It is believed only for the charge recorded for the order
    /// (`data.id`), or the one Paymax confirms to our own question (`lookUp(trade:)`).
    public var notificationBinding: NotificationBinding { .recordedTrade }

    /// Checks a webhook Paymax posted to `/notify/paymax` (pc-web-payment §webhooks): the
    /// `sign` header (any case) is SHA1withRSA over the raw body with Paymax's public key.
    /// `type` CHARGE gives a payment verdict for the charge's `order_no`, naming the charge by
    /// its `data.id`; REFUND a refund verdict with every name the refund carries (our number
    /// from its metadata, its `re_…` id, its charge, its amount). A charge of the other mode
    /// than the account's, or one whose `order_no` cannot be an order of this till, can never
    /// apply: `ignored`. The same event (one `notifyNo`) may come many times; what it says does
    /// not change, and the ledger applies it once.
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
        let type = event.text("type")?.uppercased()
        guard type == "CHARGE" || type == "REFUND" else { return .malformed("unknown event type \(event.text("type") ?? "(none)")") }
        if type == "CHARGE", let mismatch = modeMismatch(data) { return .ignored(mismatch) }
        guard let orderText = data.text("order_no") else { return .malformed("no order_no") }
        guard let orderID = try? OrderID(orderText) else {
            return .ignored("its order_no \(orderText) cannot be an order number of this till")
        }
        if type == "CHARGE" {
            guard let amount = data.text("amount").flatMap(PaymaxAmount.money) else { return .malformed("no readable amount") }
            // The ledger checks the amount against the order, and the charge against the one
            // recorded for it; the verdict carries what Paymax said.
            let order = OrderReference(orderID: orderID, wallet: .alipay, amount: amount, gatewayTradeID: data.text("id"))
            return .payment(orderID: orderID, chargeVerdict(data, order: order))
        }
        let notice = RefundNotice(refundID: Self.refundNumber(data).map(RefundID.init(rawValue:)), gatewayRefundID: data.text("id"),
                                  gatewayTradeID: data.text("charge"), amount: data.text("amount").flatMap(PaymaxAmount.money))
        guard notice.gatewayRefundID != nil, notice.gatewayTradeID != nil, notice.amount != nil else {
            return .malformed("a refund without its id, charge or a readable amount")
        }
        return .refund(orderID: orderID, notice, Self.refundVerdict(data))
    }

    /// `GET /v1/charges/{id}` with our own key, for a CHARGE webhook whose order has no charge
    /// recorded (the create answer was lost). Only a verified answer about that very charge, of
    /// this app and the account's mode, naming an order number of this till, is `found`; a
    /// charge Paymax does not show this merchant (another merchant's) is `notFound`.
    public func lookUp(trade chargeID: String) async -> TradeLookup {
        // The id came in a webhook and goes into the path: only a charge id's shape is sent.
        guard Self.isChargeID(chargeID) else {
            logger.warning("paymax charge not looked up: not a charge id", metadata: ["charge": "\(chargeID.prefix(40))"])
            return .notFound
        }
        switch await call("GET", "/v1/charges/\(chargeID)", .idempotent, order: "-") {
        case .untrusted(let why, _):
            return .inDoubt(why)
        case .verified(let status, let charge):
            if let failure = PaymaxFailure(charge, status: status) {
                // The sandbox's and the SDKs' "no such charge" (ORDER_NOT_EXIST): not one of this merchant's.
                let missing = status == 404 || failure.code.uppercased().contains("NOT_EXIST")
                return missing ? .notFound : .inDoubt("Paymax answered \(failure.words)")
            }
            guard charge.text("id") == chargeID else { return .inDoubt("Paymax's answer names another charge than \(chargeID)") }
            var notOurs = modeMismatch(charge)
            if let app = charge.text("app"), app != account.appKey { notOurs = "charge \(chargeID) is of app \(app), not \(account.appKey)" }
            let orderID = charge.text("order_no").flatMap { try? OrderID($0) }
            if orderID == nil { notOurs = "charge \(chargeID) names no order number of this till" }
            guard let orderID, notOurs == nil else {
                logger.warning("paymax charge is not this till's", metadata: ["charge": "\(chargeID)", "why": "\(notOurs ?? "")"])
                return .notFound
            }
            guard let amount = charge.text("amount").flatMap(PaymaxAmount.money) else {
                return .inDoubt("Paymax's charge \(chargeID) has no readable amount")
            }
            let order = OrderReference(orderID: orderID, wallet: .alipay, amount: amount, gatewayTradeID: chargeID)
            return .found(orderID: orderID, chargeVerdict(charge, order: order))
        }
    }

    /// `ch_` and letters or digits (Paymax's are 24 random ones).
    static func isChargeID(_ text: String) -> Bool {
        text.hasPrefix("ch_") && (4...67).contains(text.count) && text.dropFirst(3).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Paymax stops resending on HTTP 200 with the plain text `success`; anything else is retried.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        NotificationReply(status: handled ? 200 : 500, contentType: "text/plain; charset=utf-8",
                          body: Array((handled ? "success" : "fail").utf8))
    }
}
