import CheckoutCore
import HTTPTransport

extension AggregatorGateway {
    /// Checks a callback the aggregator posted to `notify_url` (seed §5.2): a form signed by the
    /// callback rule, empty values kept. A missing or wrong signature is `forged`; a body that is
    /// not a form, names a field twice, or lacks what the seed requires is `malformed`.
    ///
    /// A paid callback confirms `actual_amount`, what the customer paid, once both it and
    /// `amount` read as fen (`AggregatorAmount`): the receiver applies it only when that is the
    /// order's amount, so a short payment changes nothing. `pay_status` 0 is in doubt, never a
    /// decline (see the type's promises). The aggregator resends a callback until it gets
    /// `SUCCESS`; reading one twice gives the same verdict.
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        guard notification.method.uppercased() == "POST" else { return .malformed("the aggregator posts its callbacks") }
        guard String(validating: notification.body, as: UTF8.self) != nil,
              let form = FormEncoding.decode(notification.body) else {
            return .malformed("the body is not a form (or names a field twice)")
        }
        guard form["sign"]?.isEmpty == false else { return .forged("no signature") }
        guard AggregatorSignature.verify(form, secret: account.secret, form: .callback) else { return .forged("wrong signature") }
        guard form["appid"] == account.appID else { return .malformed("the callback is for another appid") }
        guard let number = form["order_no"], let orderID = try? OrderID(number) else { return .malformed("no usable order_no") }
        switch form["pay_status"] {
        case "1":
            guard form["amount"].flatMap(AggregatorAmount.fen) != nil,
                  let paidAmount = form["actual_amount"].flatMap(AggregatorAmount.money) else {
                return .malformed("a paid callback whose amount or actual_amount is not a number of fen")
            }
            let trade = form["platform_order_no"].flatMap { $0.isEmpty ? nil : $0 } ?? orderID.rawValue
            let paidAt = form["pay_time"].flatMap { $0.isEmpty ? nil : $0 }
            return .payment(orderID: orderID, .paid(PaymentConfirmation(gatewayTradeID: trade, amount: paidAmount, paidAt: paidAt)))
        case "0":
            return .payment(orderID: orderID, .inDoubt(Self.reportedFailed))
        case "-1":
            return .payment(orderID: orderID, .notPaid)
        case let other:
            return .payment(orderID: orderID, .inDoubt("a callback with an undocumented pay_status \(other ?? "(none)")"))
        }
    }
}
