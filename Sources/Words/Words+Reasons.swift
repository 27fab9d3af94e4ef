import CheckoutCore

extension Words {
    /// Why a typed amount was refused, in this language.
    public func reason(_ error: MoneyError) -> String {
        switch error {
        case .empty: self("money.empty")
        case .notANumber(let text): self("money.not_a_number", ["text": text])
        case .notPositive(let text): self("money.not_positive", ["text": text])
        case .tooManyDecimals(let text, let currency) where currency.exponent == 0:
            self("money.no_decimals", ["text": text, "code": currency.code])
        case .tooManyDecimals(let text, let currency):
            self("money.too_many_decimals", ["text": text, "code": currency.code, "decimals": String(currency.exponent)])
        case .tooLarge(let text, let maximum): self("money.too_large", ["text": text, "maximum": maximum.decimalString])
        }
    }

    /// Why a scanned code was refused, in this language; never the code itself.
    public func reason(_ error: PaymentCodeError) -> String {
        switch error {
        case .empty: self("code.empty")
        case .notDigits: self("code.not_digits")
        case .unknownWallet: self("code.unknown_wallet")
        case .wrongLength(let found, let got):
            self(found == .wechat ? "code.wrong_length.wechat" : "code.wrong_length.alipay", ["wallet": wallet(found), "got": String(got)])
        }
    }
}

extension Words {
    /// What the cashier should tell the customer or do after a decline, in this language.
    public func advice(_ reason: DeclineReason) -> String {
        self("decline.\(reason.rawValue)")
    }
}

extension Words {
    /// A gateway's refusal, in this language: its code and message stay as the gateway gave them.
    public func reason(_ problem: GatewayProblem) -> String {
        self("problem.rejected", ["code": problem.code, "message": problem.message])
    }
}

extension Words {
    /// Why a checkout was cancelled, in this language.
    public func reason(_ cancel: CancelReason) -> String {
        switch cancel {
        case .timedOut(let seconds): self("cancel.timed_out", ["seconds": String(seconds)])
        case .cashier: self("cancel.cashier")
        case .leftOver: self("cancel.left_over")
        case .creationFailed(let why): self("cancel.creation_failed", ["why": why])
        case .unspecified: self("cancel.unspecified")
        }
    }
}
