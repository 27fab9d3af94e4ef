import CheckoutCore

extension Words {
    /// How a checkout ended, in one line for a person (the English is `CheckoutResult.summary`).
    public func summary(_ result: CheckoutResult) -> String {
        switch result {
        case .paid(let confirmation) where confirmation.received == confirmation.amount:
            self("result.summary.paid", ["amount": amount(confirmation.amount), "trade": confirmation.gatewayTradeID])
        case .paid(let confirmation):
            self("result.summary.paid_received", ["amount": amount(confirmation.amount), "trade": confirmation.gatewayTradeID,
                                                  "received": amount(confirmation.received)])
        case .underpaid(let confirmation):
            self("result.summary.underpaid", ["received": amount(confirmation.received), "amount": amount(confirmation.amount),
                                              "trade": confirmation.gatewayTradeID])
        case .declined(let decline): self("result.summary.declined", ["advice": advice(decline.reason), "message": decline.gatewayMessage])
        case .rejected(let problem): self("result.summary.rejected", ["problem": reason(problem)])
        case .cancelled(let why): self("result.summary.cancelled", ["why": reason(why)])
        case .expired(closed: true): self("result.summary.expired_closed")
        case .expired(closed: false): self("result.summary.expired_open")
        case .unknown(let why): self("result.summary.unknown", ["why": reason(why)])
        }
    }
}
