import CheckoutCore

extension WantuGateway {
    /// Refunds under the refund number made once for this refund: Wantu refunds a given
    /// `out_refund_no` only once, so a retry after a timeout cannot pay twice.
    public func refund(_ request: RefundRequest) async -> RefundVerdict {
        var business = [
            "total_fee": String(request.order.amount.minorUnits),
            "refund_fee": String(request.amount.minorUnits),
            "refund_fee_type": request.amount.currency.code,
            "out_trade_no": request.order.orderID.rawValue,
            "out_refund_no": request.refundID.rawValue,
        ]
        business["trade_id"] = request.order.gatewayTradeID
        let answer = await call("refund", .changesMoney, channel: request.order.wallet, business, order: request.order.orderID.rawValue)
        switch answer {
        case .untrusted(let why, let mayHaveArrived):
            return mayHaveArrived ? .inDoubt(why) : .declined("Wantu could not be reached: \(why)")
        case .foreign(let why):
            return .inDoubt(why)
        case .verified(let code, let fields):
            switch code.flatMap(WantuReturnCode.init(rawValue:)) {
            case .success?:
                let refundID = fields.text("refund_id") ?? request.refundID.rawValue
                return .refunded(gatewayRefundID: refundID)
            case .refundError?, .orderInvalid?, .unsupportedCurrency?, .tradeError?, .notEnough?:
                return .declined(fields.explanation)
            case .dataFormatError?, .signError?, .noPrivilege?, .paramMissing?, .paramError?:
                return .rejected(GatewayProblem(code: "\(code ?? 0)", message: fields.explanation))
            default:
                return .inDoubt("Wantu answered \(fields.text("return_code") ?? "?") \(fields.explanation)")
            }
        }
    }
}
