import CheckoutCore

extension CloudPayGateway {
    /// Checks a payment notification CloudPay posted to the back office's callback URL
    /// (`/notify/cloudpay`): a form signed over `CloudPaySignature.notificationFields` with the
    /// merchant's own appkey first. A missing or wrong signature is `forged`; a body that is not
    /// a form, or a signed one without an order number, trade number or readable price, is
    /// `malformed`. CloudPay notifies only payments, so a believed notification says paid:
    /// `price` is the order's amount (the ledger compares it with the order), and a `realprice`
    /// that differs is carried as what the customer really paid, for the ledger to flag.
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
        guard let number = fields["out_order_id"], let orderID = try? OrderID(number) else {
            return .malformed("no usable out_order_id")
        }
        guard let trade = fields["order_id"], !trade.isEmpty else { return .malformed("no order_id") }
        guard let priceText = fields["price"], let price = CloudPayPrice.money(priceText) else {
            return .malformed("price is not an amount with at most two decimals")
        }
        // What the customer really paid; an unreadable one is not guessed at, but said.
        var customerPaid: Money?
        if let real = fields["realprice"], !real.isEmpty {
            guard let money = CloudPayPrice.money(real) else { return .malformed("realprice is not an amount with at most two decimals") }
            customerPaid = money
        }
        let confirmation = PaymentConfirmation(gatewayTradeID: trade, amount: price, paidAt: fields["paytime"],
                                               customerPaid: customerPaid == price ? nil : customerPaid)
        return .payment(orderID: orderID, .paid(confirmation))
    }

    /// Exactly `success` stops CloudPay's resending (seed: 返回结果表); `fail` asks it to try again.
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        NotificationReply(status: 200, contentType: "text/html; charset=utf-8", body: Array((handled ? "success" : "fail").utf8))
    }
}
