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
        case .creationFailed(let doubt): self("cancel.creation_failed", ["why": reason(doubt)])
        case .unspecified: self("cancel.unspecified")
        }
    }
}

extension Words {
    /// What the gateway's last answer left open, in this language; the gateway's own words
    /// (its code and message, its client's account of an unclear answer) stay as they came.
    public func reason(_ doubt: Doubt) -> String {
        switch doubt {
        case .userPaying: self("doubt.user_paying")
        case .notPaid: self("doubt.not_paid")
        case .notFound: self("doubt.not_found")
        case .noClearAnswer(let why): self("doubt.no_clear_answer", ["why": why])
        case .refused(let problem): self("doubt.refused", ["code": problem.code, "message": problem.message])
        case .declined(let message): self("doubt.declined", ["message": message])
        case .underpaid(let received, let amount): self("doubt.underpaid", ["received": self.amount(received), "amount": self.amount(amount)])
        case .saysPaid: self("doubt.says_paid")
        case .notSent: self("doubt.not_sent")
        }
    }

    /// Why the till could not settle an order, in this language.
    public func reason(_ unknown: UnknownReason) -> String {
        switch unknown {
        case .notSettled(.cancel, let why): self("unknown.not_cancelled", ["why": why])
        case .notSettled(.close, let why): self("unknown.not_closed", ["why": why])
        case .settleRefused(.cancel, let problem): self("unknown.cancel_refused", ["code": problem.code, "message": problem.message])
        case .settleRefused(.close, let problem): self("unknown.close_refused", ["code": problem.code, "message": problem.message])
        case .paidUnconfirmed(.cancel, let seconds): self("unknown.paid_unconfirmed.cancel", ["seconds": String(seconds)])
        case .paidUnconfirmed(.close, let seconds): self("unknown.paid_unconfirmed.close", ["seconds": String(seconds)])
        case .paidThenDoubted(.cancel, let doubt): self("unknown.paid_then_doubted.cancel", ["doubt": reason(doubt)])
        case .paidThenDoubted(.close, let doubt): self("unknown.paid_then_doubted.close", ["doubt": reason(doubt)])
        case .amountMismatch(let reported, let ordered):
            self("unknown.amount_mismatch", ["reported": amount(reported), "ordered": amount(ordered)])
        case .underpaidMismatch(let received, let reported, let ordered):
            self("unknown.underpaid_mismatch", ["received": amount(received), "reported": amount(reported), "ordered": amount(ordered)])
        case .notCreatedNorClosable(let doubt): self("unknown.not_created_nor_closable", ["doubt": reason(doubt)])
        case .cannotCancel(let doubt?): self("unknown.cannot_cancel", ["doubt": reason(doubt)])
        case .cannotCancel(nil): self("unknown.cannot_cancel_unanswered")
        }
    }

    /// Why a refund failed, in this language; a note the ledger kept from before reasons were
    /// values is shown as it was written.
    public func reason(_ refusal: RefundRefusal) -> String {
        switch refusal {
        case .declined(let message): self("refund_refusal.declined", ["message": message])
        case .rejected(let problem): reason(problem)
        case .recorded(let note?): note
        case .recorded(nil): self("refund_refusal.unrecorded")
        }
    }

    /// A gateway's answer about a payment, in this language.
    public func answer(_ verdict: PaymentVerdict) -> String {
        switch verdict {
        case .paid(let c) where c.received == c.amount: self("answer.paid", ["amount": amount(c.amount), "trade": c.gatewayTradeID])
        case .paid(let c):
            self("answer.paid_received", ["amount": amount(c.amount), "received": amount(c.received), "trade": c.gatewayTradeID])
        case .underpaid, .userPaying, .notPaid, .notFound, .declined, .inDoubt, .rejected: reason(verdict.doubt ?? .notSent)
        }
    }
}
