import CheckoutCore
import HTTPTransport

extension AggregatorGateway {
    /// Checks a callback the aggregator posted to `notify_url` (seed §5.2), signed by the
    /// callback rule, empty values kept. The seed's text says a form and its example is JSON,
    /// so either is read (`callbackFields`). A missing or wrong signature is `forged`; a body
    /// that is neither, names a field twice, or lacks what the seed requires is `malformed`.
    ///
    /// A paid callback confirms `actual_amount`, what the customer paid, once both it and
    /// `amount` read as fen (`AggregatorAmount`): the receiver applies it only when that is the
    /// order's amount, so a short payment changes nothing. `pay_status` 0 is in doubt, never a
    /// decline (see the type's promises). The aggregator resends a callback until it gets
    /// `SUCCESS`; reading one twice gives the same verdict.
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        guard notification.method.uppercased() == "POST" else { return .malformed("the aggregator posts its callbacks") }
        let form: [String: String]
        do { form = try Self.callbackFields(notification.body) } catch { return .malformed(error.why) }
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

    /// Why a callback's body could not be read as fields.
    struct UnreadableCallback: Error {
        var why: String
    }

    /// The fields of a callback body, each as the text that is signed: JSON when the body starts
    /// with `{` or `[` (whatever its Content-Type says: the seed's text and example disagree),
    /// otherwise a form. JSON must be one object whose values are strings or numbers, as in the
    /// seed's example (`"pay_status": 1` is signed as `pay_status=1`, a number as it was
    /// written); a null, true/false, a list or an object has no text to sign. Naming a field
    /// twice is refused in both.
    static func callbackFields(_ body: [UInt8]) throws(UnreadableCallback) -> [String: String] {
        guard String(validating: body, as: UTF8.self) != nil else { throw UnreadableCallback(why: "the body is not UTF-8") }
        let first = body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            guard let form = FormEncoding.decode(body) else { throw UnreadableCallback(why: "the body is not a form (or names a field twice)") }
            return form
        }
        guard let members = GatewayJSON.parse(body)?.object else {
            throw UnreadableCallback(why: "the body is not a JSON object (or names a field twice)")
        }
        var fields: [String: String] = [:]
        for (name, value) in members {
            switch value {
            case .string(let text), .number(let text): fields[name] = text
            default:
                // Not verified yet: the reason names no field, so nothing a stranger wrote reaches the log.
                throw UnreadableCallback(why: "a JSON field is neither a string nor a number (a null, true/false, a list or an object)")
            }
        }
        return fields
    }
}
