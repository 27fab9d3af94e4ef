import CheckoutCore
import Owner

extension TillState {
    mutating func handleResultKey(_ key: Key) -> [TillCommand] {
        switch key {
        case .enter, .escape:
            leaveResult()
            screen = .sale
        case .character("r"), .character("R"):
            guard let order = result?.order, !order.status.isFinal else {
                message = Notice("Only an order whose outcome is unknown needs asking again.")
                return []
            }
            return requery(order.id)
        case .character("m"), .character("M"):
            leaveResult()
            screen = .menu
        default:
            break
        }
        return []
    }

    /// Forgets the result shown; the amount of a sale that did not go through stays keyed.
    mutating func leaveResult() {
        result = nil
    }

    /// Asks the gateway about an order, one question at a time.
    mutating func requery(_ id: OrderID) -> [TillCommand] {
        guard requerying == nil else {
            message = Notice("Already asking the gateway about order \(requerying!). Wait for the answer.")
            return []
        }
        requerying = id
        message = Notice("Asking the gateway about order \(id)…")
        return [.requery(id)]
    }

    func drawResult(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = result else { return [] }
        drawTitle(&canvas, layout, "Result")
        var lines: [(String, Style)] = []
        let order = view.order
        switch view.outcome {
        case .paid(let confirmation)?:
            lines.append(("PAID", .ok))
            lines.append(("Amount: \(amountWithCNY(confirmation.amount))", .bold))
            if confirmation.received != confirmation.amount {
                lines.append(("Received: \(confirmation.received) (what the customer really paid)", .normal))
            }
            lines.append(("Trade number: \(confirmation.gatewayTradeID)", .normal))
            switch view.receipt {
            case .printing: lines.append(("Receipt: printing…", .normal))
            case .printed: lines.append(("Receipt printed/saved.", .normal))
            case .failed(let why): lines.append(("Receipt NOT printed: \(why)", .warning))
            case .none: break
            }
            if let flag = order?.attention {
                // Paid, but a person must look (the customer paid more than the price allows).
                lines.append(("NEEDS ATTENTION: \(flag)", .alert))
            } else {
                lines.append(("Hand over the goods.", .normal))
            }
        case .underpaid(let confirmation)?:
            lines.append(("UNDERPAID: \(confirmation.receivedOfAmount)", .alert))
            lines.append(("Not paid: do not hand over the goods.", .bold))
            lines.append(("Take the rest another way, or refund the \(confirmation.received) through the gateway's back office. The order is flagged for the owner.", .normal))
            lines.append(("Trade number: \(confirmation.gatewayTradeID)", .dim))
        case .declined(let decline)?:
            lines.append(("DECLINED: nothing was charged", .alert))
            lines.append((decline.reason.advice, .normal))
            if decline.reason.rescan {
                lines.append(("A fresh scan may work: ask the customer to refresh the code, then scan it again.", .bold))
            }
            lines.append(("Gateway said: \(decline.gatewayMessage)", .dim))
        case .rejected(let problem)?:
            lines.append(("NOT CHARGED: the gateway refused the request", .alert))
            lines.append((problem.description, .normal))
        case .cancelled(let why)?:
            lines.append(("CANCELLED: the customer was not charged", .warning))
            lines.append((why, .normal))
        case .expired(closed: true)?:
            lines.append(("EXPIRED: the customer did not pay in time", .warning))
            lines.append(("The QR order is closed and the customer was not charged. Start the payment again.", .normal))
        case .expired(closed: false)?:
            lines.append(("EXPIRED at the till; a late payment will be flagged", .warning))
            lines.append(("The gateway cannot close QR orders: if the customer pays now, the owner sees it in the history.", .normal))
        case .unknown(let why)?:
            let settled = order.map { $0.status.isFinal } ?? false
            if let order, settled {
                lines.append(("Now \(order.status.rawValue.uppercased()) (was OUTCOME UNKNOWN)", order.status == .paid ? .ok : .warning))
            } else {
                lines.append(("OUTCOME UNKNOWN: do not hand over the goods yet", .alert))
                lines.append((why, .normal))
                lines.append(("Check the customer's phone for a payment, then press r to ask the gateway again. The order stays in the history until it is settled.", .bold))
            }
        case nil:
            lines.append(("PAYMENT NOT MADE", .alert))
            lines.append((view.failure ?? "The payment could not run.", .normal))
        }
        if let order {
            lines.append(("Order \(order.id) · \(order.wallet.displayName) · \(order.amount)", .dim))
        }
        for problem in view.ledgerProblems.prefix(2) {
            lines.append(("Ledger problem (tell the owner): \(problem)", .warning))
        }
        drawBox(&canvas, layout, lines: lines, minWidth: 50)
        var bindings = [Binding("Enter", "next sale")]
        if view.outcome?.orderStatus == .unknown, order.map({ !$0.status.isFinal }) ?? true {
            bindings.append(Binding("r", "ask the gateway again"))
        }
        bindings.append(Binding("F2/m", "menu"))
        bindings.append(Binding("F10", "quit"))
        return bindings
    }
}
