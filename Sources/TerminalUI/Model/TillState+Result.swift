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
                message = Notice(words("result.only_unknown"))
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
            message = Notice(words("result.already_asking", ["order": requerying!.rawValue]))
            return []
        }
        requerying = id
        message = Notice(words("result.asking", ["order": id.rawValue]))
        return [.requery(id)]
    }

    func drawResult(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = result else { return [] }
        drawTitle(&canvas, layout, words("result.title"))
        var lines: [(String, Style)] = []
        let order = view.order
        switch view.outcome {
        case .paid(let confirmation)?:
            lines.append((words("result.paid"), .ok))
            lines.append((words("result.amount", ["amount": amountWithCNY(confirmation.amount)]), .bold))
            if confirmation.received != confirmation.amount {
                lines.append((words("result.received", ["amount": amount(confirmation.received)]), .normal))
            }
            lines.append((words("result.trade", ["trade": confirmation.gatewayTradeID]), .normal))
            switch view.receipt {
            case .printing: lines.append((words("result.receipt_printing"), .normal))
            case .printed: lines.append((words("result.receipt_printed"), .normal))
            case .failed(let why): lines.append((words("result.receipt_failed", ["why": why]), .warning))
            case .none: break
            }
            if let flag = order?.attention {
                // Paid, but a person must look (the customer paid more than the price allows).
                lines.append((words("result.attention", ["why": flag]), .alert))
            } else {
                lines.append((words("result.hand_over"), .normal))
            }
        case .underpaid(let confirmation)?:
            lines.append((words("result.underpaid", ["received": amount(confirmation.received), "amount": amount(confirmation.amount)]), .alert))
            lines.append((words("result.underpaid_hold"), .bold))
            lines.append((words("result.underpaid_advice", ["received": amount(confirmation.received)]), .normal))
            lines.append((words("result.trade", ["trade": confirmation.gatewayTradeID]), .dim))
        case .declined(let decline)?:
            lines.append((words("result.declined"), .alert))
            lines.append((words.advice(decline.reason), .normal))
            if decline.reason.rescan {
                lines.append((words("result.rescan"), .bold))
            }
            lines.append((words("result.gateway_said", ["message": decline.gatewayMessage]), .dim))
        case .rejected(let problem)?:
            lines.append((words("result.rejected"), .alert))
            lines.append((words.reason(problem), .normal))
        case .cancelled(let why)?:
            lines.append((words("result.cancelled"), .warning))
            lines.append((words.reason(why), .normal))
        case .expired(closed: true)?:
            lines.append((words("result.expired"), .warning))
            lines.append((words("result.expired_closed"), .normal))
        case .expired(closed: false)?:
            lines.append((words("result.expired_open"), .warning))
            lines.append((words("result.expired_open_advice"), .normal))
        case .unknown(let why)?:
            let settled = order.map { $0.status.isFinal } ?? false
            if let order, settled {
                lines.append((words("result.now_settled", ["status": words.status(order.status)]), order.status == .paid ? .ok : .warning))
            } else {
                lines.append((words("result.unknown"), .alert))
                lines.append((words.reason(why), .normal))
                lines.append((words("result.unknown_advice"), .bold))
            }
        case nil:
            lines.append((words("result.not_made"), .alert))
            lines.append((view.failure.map(words.reason) ?? words("result.could_not_run"), .normal))
        }
        if let order {
            lines.append((words("result.order_line", ["order": order.id.rawValue, "wallet": wallet(order.wallet), "amount": amount(order.amount)]), .dim))
        }
        for problem in view.ledgerProblems.prefix(2) {
            lines.append((words("result.ledger_problem", ["problem": problem]), .warning))
        }
        drawBox(&canvas, layout, lines: lines, minWidth: 50)
        var bindings = [Binding("Enter", words("key.next_sale"))]
        if view.outcome?.orderStatus == .unknown, order.map({ !$0.status.isFinal }) ?? true {
            bindings.append(Binding("r", words("key.ask_again")))
        }
        bindings.append(Binding("F2/m", words("key.menu")))
        bindings.append(Binding("F10", words("key.quit")))
        return bindings
    }
}
