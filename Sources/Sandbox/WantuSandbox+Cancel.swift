import WantuGateway

extension WantuSandbox {
    /// `cancel` (撤销): reverse an unpaid order so it can never be paid. A cancel of an order
    /// that never arrived succeeds and burns the number, as the wallets' reverse does; a paid
    /// order is not reversed (401); a `..09` customer still confirming blocks it (506).
    func cancel(_ request: WantuRequest) throws(Refusal) -> Answer {
        let outTradeNo = try request.require("out_trade_no")[0]
        guard var order = orders[outTradeNo] else {
            cancelledUnknown.insert(outTradeNo)
            return Answer(.success)
        }
        order.cancelCalls += 1
        defer { store(order) }
        return try closeUnpaid(&order)
    }

    /// `close` (关闭): stop an unpaid order from being paid, typically a QR order nobody paid.
    /// Unlike cancel, an unknown order is 402 ORDER_INVALID.
    func close(_ request: WantuRequest) throws(Refusal) -> Answer {
        let outTradeNo = try request.require("out_trade_no")[0]
        guard var order = orders[outTradeNo] else { throw Refusal(.orderInvalid, "no such order") }
        order.closeCalls += 1
        defer { store(order) }
        return try closeUnpaid(&order)
    }

    private func closeUnpaid(_ order: inout SandboxOrder) throws(Refusal) -> Answer {
        order.settle(now: clock.now())
        switch order.status {
        case .paid:
            throw Refusal(.orderPaid, "the order is paid: refund it instead")
        case .notPaid where order.scenario == .userPayingForever:
            throw Refusal(.userPaying, "the customer is still confirming the payment")
        case .notPaid:
            order.status = .closed
            order.paysAt = nil
            return Answer(.success)
        case .closed, .failed:
            // Nothing was taken and nothing more can be: repeating it is harmless.
            return Answer(.success)
        }
    }
}
