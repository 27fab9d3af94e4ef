import CheckoutCore
import CloudPayGateway
import Foundation

extension CloudPaySandbox {
    /// Announces `order` when it pays itself (`paysAt`); orders the customer pays through
    /// `payOrder` are announced there.
    func announceWhenPaid(_ order: CloudPaySandboxOrder) {
        guard deliveries != nil, let due = order.paysAt else { return }
        let number = order.outOrderID
        let wait = max(.zero, due - clock.now())
        Task { [clock] in
            guard (try? await clock.sleep(wait)) != nil else { return }
            self.announceIfPaid(number)
        }
    }

    func announceIfPaid(_ outOrderID: String) {
        guard let order = order(outOrderID), order.paid else { return }
        announce(order)
    }

    /// Posts the signed notification of a paid order to the back office's callback URL,
    /// retrying until the answer is exactly `success`.
    func announce(_ order: CloudPaySandboxOrder) {
        guard let deliveries, let url = callbackURL else { return }
        let body = notificationBody(order)
        let number = order.outOrderID
        Task {
            await deliveries.deliver(body, contentType: "application/x-www-form-urlencoded", to: url, order: number) { response in
                response.status == 200 && response.body == Array("success".utf8)
            }
        }
    }

    /// The notification of a paid order (seed: 支付成功异步通知接口), as a form.
    func notificationBody(_ order: CloudPaySandboxOrder) -> [UInt8] {
        var fields: [String: String] = [
            "order_id": String(order.orderID),
            "out_order_id": order.outOrderID,
            "price": Money(minorUnits: order.priceFen, currency: .cny).decimalString,
            "realprice": Money(minorUnits: order.realPriceFen, currency: .cny).decimalString,
            "type": order.type,
            "paytime": String(Int((order.paidWall ?? wallClock()).timeIntervalSince1970)),
            "extend": "",
        ]
        var signed = fields
        signed["appkey"] = appKey
        let secret = order.scenario == .badlySignedCallback ? appSecret + "-rotated" : appSecret
        fields["sign"] = CloudPaySignature.sign(signed, order: CloudPaySignature.notificationFields, secret: secret)
        let names = CloudPaySignature.notificationFields.filter { $0 != "appkey" } + ["sign"]
        return CloudPayForm.encode(names.map { ($0, fields[$0] ?? "") })
    }
}
