import CheckoutCore
import Foundation
import WantuGateway

extension WantuSandbox {
    /// `refund`: return part or all of a paid order. The same `out_refund_no` again gets the
    /// same answer and refund_id and never refunds twice; a different amount under it is 508.
    /// A refund whose cents are `..07` is carried out but its first request is never answered.
    func refund(_ request: WantuRequest) throws(Refusal) -> Answer {
        let values = try request.require("total_fee", "refund_fee", "refund_fee_type", "out_refund_no")
        let outRefundNo = values[3]
        try checkOrderNumber(outRefundNo, "out_refund_no")
        var order = try findOrder(request)
        order.refundCalls += 1
        store(order)

        guard let refundFee = Self.positiveInteger(values[1]) else {
            throw Refusal(.refundError, "refund_fee must be a positive whole number of minor units")
        }
        try checkCurrency(values[2], "refund_fee_type")

        if let owner = refundIndex[outRefundNo] {
            guard owner == order.outTradeNo,
                  let done = order.refunds.first(where: { $0.outRefundNo == outRefundNo }) else {
                throw Refusal(.refundError, "out_refund_no belongs to another order")
            }
            guard done.amountMinor == refundFee else {
                throw Refusal(.refundError, "out_refund_no was used for a different refund_fee")
            }
            return Answer(.success, fields: refundFields(order, done))
        }

        guard order.status == .paid else { throw Refusal(.orderInvalid, "the order is not paid") }
        guard Self.positiveInteger(values[0]) == order.amountMinor else {
            throw Refusal(.paramError, "total_fee does not match the order's amount")
        }
        let remaining = order.amountMinor - order.refundedMinor
        guard refundFee <= remaining else {
            throw Refusal(.refundError, "refund_fee is more than the \(remaining) not yet refunded")
        }

        let refund = SandboxRefund(outRefundNo: outRefundNo, refundID: "\(order.tradeID)_\(order.refunds.count)",
                                   amountMinor: refundFee, date: wallClock())
        order.refunds.append(refund)
        refundIndex[outRefundNo] = order.outTradeNo
        store(order)
        if refundFee % 100 == SandboxScenario.hangingRefundCents { return .hanging }
        return Answer(.success, fields: refundFields(order, refund))
    }

    private func refundFields(_ order: SandboxOrder, _ refund: SandboxRefund) -> [String: WantuJSON] {
        [
            "out_trade_no": .string(order.outTradeNo),
            "trade_id": .string(order.tradeID),
            "out_refund_no": .string(refund.outRefundNo),
            "refund_id": .string(refund.refundID),
            "total_fee": .integer(order.amountMinor),
            "fee_type": .string(account.currency.code),
            "refund_fee": .integer(refund.amountMinor),
            "refund_fee_type": .string(account.currency.code),
        ]
    }
}
