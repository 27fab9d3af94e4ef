import CheckoutCore
import Till

extension TillState {
    mutating func handleWaitingKey(_ key: Key) -> [TillCommand] {
        guard var view = checkout else { return [] }
        defer { checkout = view }
        if view.confirmingCancel {
            switch key {
            case .character("y"), .character("Y"):
                view.confirmingCancel = false
                view.cancelRequested = true
                view.step = words("checkout.cancelling")
                return [.cancelCheckout]
            case .character("n"), .character("N"), .escape:
                view.confirmingCancel = false
            default:
                message = Notice(words("checkout.confirm_cancel_help"), .warning)
            }
            return []
        }
        switch key {
        case .escape:
            if view.cancelRequested {
                message = Notice(words("checkout.cancel_sent"))
            } else {
                view.confirmingCancel = true
            }
        case .character("q"), .character("m"):
            message = Notice(words("checkout.busy"), .warning)
        default:
            break
        }
        return []
    }

    /// The lines every checkout screen shows: amount, wallet, code, times, queries, step.
    func checkoutFacts(_ view: CheckoutView) -> [(String, String, Style)] {
        var facts: [(String, String, Style)] = [
            (words("checkout.amount"), amountWithCNY(view.amount), .bold),
            (words("checkout.wallet"), words(view.method == .qr ? "checkout.wallet_qr" : "checkout.wallet_scanned", ["wallet": wallet(view.wallet)]), .normal),
        ]
        if let code = view.maskedCode { facts.append((words("checkout.code"), code, .normal)) }
        if let id = view.orderID { facts.append((words("checkout.order"), id.rawValue, .normal)) }
        facts.append((words("checkout.elapsed"), TillState.clockDuration(view.elapsed(now: now)), .normal))
        facts.append((words("checkout.time_left"), view.timeLeft(now: now).map(TillState.clockDuration) ?? "--:--", .normal))
        if let received = view.notifications {
            facts.append((words("checkout.received"), words(received == 1 ? "checkout.notification" : "checkout.notifications", ["count": String(received)]), .normal))
        } else {
            facts.append((words("checkout.queries"), String(view.queries), .normal))
        }
        return facts
    }

    /// Why the checkout waits, in the cashier's language (a gateway's own words as it gave them).
    func waitWords(_ reason: WaitReason) -> String {
        switch reason {
        case .customerScanning: words("wait.customer_scanning")
        case .confirming: words("wait.confirming")
        case .notification(let gateway): words("wait.notification", ["gateway": gateway])
        case .doubt(let doubt): words.reason(doubt)
        }
    }

    var waitingBindings: [Binding] {
        if checkout?.confirmingCancel == true { return [Binding("y", words("key.cancel_the_payment")), Binding("n/Esc", words("key.keep_waiting"))] }
        return [Binding("Esc", words("key.cancel_payment")), Binding(words("key.quit_blocked"), "")]
    }

    func drawWaiting(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = checkout else { return [] }
        drawTitle(&canvas, layout, words("checkout.waiting_title", ["spinner": spinnerGlyph]))
        var row = layout.bodyTop + 1
        for (label, value, style) in checkoutFacts(view) {
            canvas.put(label, row: row, column: 4, style: .dim)
            canvas.put(value, row: row, column: 16, style: style)
            row += 1
        }
        row += 1
        for line in wrap("\(spinnerGlyph) \(view.step)", width: layout.size.columns - 8).prefix(3) {
            canvas.put(line, row: row, column: 4)
            row += 1
        }
        row += 1
        if view.confirmingCancel {
            canvas.put(words("checkout.confirm_cancel"), row: row, column: 4, style: .warning)
        } else if view.cancelRequested {
            canvas.put(words("checkout.cancelling_hold"), row: row, column: 4, style: .warning)
        } else {
            canvas.put(words("checkout.ask_confirm"), row: row, column: 4, style: .dim)
        }
        return waitingBindings
    }
}
