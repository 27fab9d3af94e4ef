import CheckoutCore

extension TillState {
    mutating func handleWaitingKey(_ key: Key) -> [TillCommand] {
        guard var view = checkout else { return [] }
        defer { checkout = view }
        if view.confirmingCancel {
            switch key {
            case .character("y"), .character("Y"):
                view.confirmingCancel = false
                view.cancelRequested = true
                view.step = "Cancelling: the till stops at the next wait and cancels the order at the gateway…"
                return [.cancelCheckout]
            case .character("n"), .character("N"), .escape:
                view.confirmingCancel = false
            default:
                message = Notice("Cancel this payment? Press y to cancel it, n to keep waiting.", .warning)
            }
            return []
        }
        switch key {
        case .escape:
            if view.cancelRequested {
                message = Notice("The cancel is already on its way to the gateway.")
            } else {
                view.confirmingCancel = true
            }
        case .character("q"), .character("m"):
            message = Notice("A payment is in progress: wait for its result, or press Esc to cancel it.", .warning)
        default:
            break
        }
        return []
    }

    /// The lines every checkout screen shows: amount, wallet, code, times, queries, step.
    func checkoutFacts(_ view: CheckoutView) -> [(String, String, Style)] {
        var facts: [(String, String, Style)] = [
            ("Amount", amountWithCNY(view.amount), .bold),
            ("Wallet", view.wallet.displayName + (view.method == .qr ? " (QR code)" : " (scanned code)"), .normal),
        ]
        if let code = view.maskedCode { facts.append(("Code", code, .normal)) }
        if let id = view.orderID { facts.append(("Order", id.rawValue, .normal)) }
        facts.append(("Elapsed", TillState.clockDuration(view.elapsed(now: now)), .normal))
        facts.append(("Time left", view.timeLeft(now: now).map(TillState.clockDuration) ?? "--:--", .normal))
        if let received = view.notifications {
            facts.append(("Received", "\(received) notification\(received == 1 ? "" : "s")", .normal))
        } else {
            facts.append(("Queries", String(view.queries), .normal))
        }
        return facts
    }

    var waitingBindings: [Binding] {
        if checkout?.confirmingCancel == true { return [Binding("y", "cancel the payment"), Binding("n/Esc", "keep waiting")] }
        return [Binding("Esc", "cancel payment"), Binding("(quit is blocked while paying)", "")]
    }

    func drawWaiting(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = checkout else { return [] }
        drawTitle(&canvas, layout, "Waiting for payment \(spinnerGlyph)")
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
            canvas.put("Cancel this payment? y/n", row: row, column: 4, style: .warning)
        } else if view.cancelRequested {
            canvas.put("Cancelling at the gateway. Do not let the customer leave until the result shows.", row: row, column: 4, style: .warning)
        } else {
            canvas.put("Ask the customer to confirm on the phone if the wallet asks.", row: row, column: 4, style: .dim)
        }
        return waitingBindings
    }
}
