import CheckoutCore

extension CloudPayGateway {
    /// Checks a payment notification CloudPay posted to the back office's callback URL
    /// (`/notify/cloudpay`): a form signed over `CloudPaySignature.notificationFields` with the
    /// merchant's own appkey first. A missing or wrong signature is `forged`.
    ///
    /// The signature joins the fields' values without separators, so it cannot tell where one
    /// ends and the next begins: a signed notification is believed only when every field that
    /// names the payment has its own fixed form, and is `malformed` otherwise: `order_id`
    /// CloudPay's number (digits), `out_order_id` a number of this till's form, `price` and
    /// `realprice` amounts with exactly two decimals, `type` a wallet of this account's
    /// `types`, `paytime` digits. A `realprice` left out or empty is read as `price`.
    ///
    /// CloudPay notifies only payments. `price` is the order's amount (the ledger compares it
    /// with the order) and `realprice` what came in: within `maxPriceAdjustment` of the price
    /// either way the order is paid as asked; further below, it is `underpaid` (not paid);
    /// further above, paid, with a flag for the excess the customer is owed.
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        guard notification.method.uppercased() == "POST" else { return .malformed("CloudPay posts its notifications") }
        guard let fields = CloudPayForm.decode(notification.body) else {
            return .malformed("the body is not a form (or names a field twice)")
        }
        guard let given = fields["sign"], !given.isEmpty else { return .forged("no signature") }
        var signed = fields
        signed["appkey"] = account.appKey
        guard CloudPaySignature.verify(given, signed, order: CloudPaySignature.notificationFields, secret: account.appSecret) else {
            return .forged("wrong signature")
        }
        guard let trade = fields["order_id"], Self.isDigits(trade, upTo: 20) else {
            return .malformed("order_id is not CloudPay's order number (digits only)")
        }
        guard let number = fields["out_order_id"], let orderID = try? OrderID(number), orderID.rawValue == number, orderID.isTillNumber else {
            return .malformed("out_order_id is not an order number of this till")
        }
        guard let priceText = fields["price"], let price = CloudPayPrice.money(priceText), price.minorUnits > 0 else {
            return .malformed("price is not a positive amount with exactly two decimals")
        }
        var received = price
        if let real = fields["realprice"], !real.isEmpty {
            guard let money = CloudPayPrice.money(real) else { return .malformed("realprice is not an amount with exactly two decimals") }
            received = money
        }
        guard let type = fields["type"], let wallet = Wallet(cloudPayType: type), account.wallets.contains(wallet) else {
            return .malformed("type is not one of [providers.cloudpay] types")
        }
        let paytime = fields["paytime"] ?? ""
        guard paytime.isEmpty || Self.isDigits(paytime, upTo: 20) else { return .malformed("paytime is not a time in seconds (digits only)") }
        return .payment(orderID: orderID, verdict(trade: trade, price: price, received: received, paidAt: paytime.isEmpty ? nil : paytime))
    }

    /// Paid within `maxPriceAdjustment` of the price, or above it (flagged beyond it);
    /// underpaid further below.
    func verdict(trade: String, price: Money, received: Money, paidAt: String?) -> PaymentVerdict {
        let allowed = account.maxPriceAdjustment.minorUnits
        if price.minorUnits - received.minorUnits > allowed {
            return .underpaid(PaymentConfirmation(gatewayTradeID: trade, amount: price, paidAt: paidAt, received: received))
        }
        var attention: String?
        if received.minorUnits - price.minorUnits > allowed {
            attention = "overpaid: the customer paid \(received) for an order of \(price) (trade \(trade)), \(received - price) more than asked; give the difference back"
        }
        return .paid(PaymentConfirmation(gatewayTradeID: trade, amount: price, paidAt: paidAt, received: received, attention: attention))
    }

    /// True for 1 to `limit` ASCII digits.
    static func isDigits(_ text: String, upTo limit: Int) -> Bool {
        (1...limit).contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Exactly `success` stops CloudPay's resending (seed: 返回结果表); `fail` asks it to try again.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        NotificationReply(status: 200, contentType: "text/html; charset=utf-8", body: Array((handled ? "success" : "fail").utf8))
    }
}
