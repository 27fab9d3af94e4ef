import AggregatorGateway
import CheckoutCore
import HTTPTransport

extension AggregatorSandbox {
    /// Schedules the callback of an order that settles by itself (`settlesAfter`), on the
    /// sandbox's clock. Nothing happens without `deliveries`.
    func announceWhenSettled(_ order: AggregatorSandboxOrder) {
        guard deliveries != nil, let after = order.scenario.settlesAfter else { return }
        let number = order.orderNo
        Task { [clock] in
            guard (try? await clock.sleep(after)) != nil else { return }
            self.announceIfSettled(number)
        }
    }

    func announceIfSettled(_ orderNo: String) {
        guard var order = orders[orderNo] else { return }
        if order.settle(now: clock.now()) { orders[orderNo] = order }
        saveIfChanged()
        announce(order)
    }

    /// Posts the signed callback of a paid or failed order, until the till answers exactly `SUCCESS`.
    func announce(_ order: AggregatorSandboxOrder) {
        guard let deliveries, order.status != .paying, !order.notifyURL.isEmpty else { return }
        let body = Array(callbackBody(order).utf8)
        let contentType = order.scenario == .jsonCallback ? "application/json" : "application/x-www-form-urlencoded"
        let (url, number) = (order.notifyURL, order.orderNo)
        Task {
            await deliveries.deliver(body, contentType: contentType, to: url, order: number) { response in
                response.status == 200 && response.body == Array("SUCCESS".utf8)
            }
        }
    }

    /// The callback of seed §5.2 as a form, signed by the callback rule (the `..16` scenario
    /// signs with another secret); in the `..20` scenario a JSON object shaped like the seed's
    /// example, `pay_status` a number and the rest strings.
    func callbackBody(_ order: AggregatorSandboxOrder) -> String {
        var fields = [
            "appid": account.appID, "order_no": order.orderNo, "amount": order.written(order.amountFen),
            "actual_amount": order.written(order.actualFen ?? 0), "attach": order.attach,
            "pay_status": String(order.status.rawValue), "pay_time": order.payWall.map(dates.string) ?? "",
            "platform_order_no": order.platformOrderNo,
        ]
        let secret = order.scenario == .badlySignedCallback ? account.secret + "-rotated" : account.secret
        fields["sign"] = AggregatorSignature.sign(fields, secret: secret, form: .callback)
        guard order.scenario == .jsonCallback else { return FormEncoding.encode(fields) }
        var members = fields.mapValues { GatewayJSON.string($0) }
        members["pay_status"] = .number(String(order.status.rawValue))
        return GatewayJSON.object(members).encoded
    }
}
