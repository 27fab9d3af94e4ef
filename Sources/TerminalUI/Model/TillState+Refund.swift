import CheckoutCore
import Foundation
import Owner
import QRCode
import Till

extension TillState {
    static let pinLimit = 12
    static let reasonLimit = 60

    /// Paid orders with something left to refund, as the refund picker lists them.
    var refundableLines: [OrderLine] {
        history.lines.filter { $0.refundable.minorUnits > 0 }
    }

    mutating func handleRefundKey(_ key: Key) -> [TillCommand] {
        switch refund.step {
        case .pin: return typePIN(key)
        case .checkingPIN, .sending: return []
        case .pickOrder: return pickRefundOrder(key)
        case .amount: return typeRefundAmount(key)
        case .reason: return typeRefundReason(key)
        case .confirm: return confirmRefund(key)
        case .done, .failed:
            if key == .enter || key == .escape { screen = .menu }
            return []
        }
    }

    mutating func typePIN(_ key: Key) -> [TillCommand] {
        switch key {
        case .escape:
            refund.pin = ""
            screen = .menu
        case .backspace:
            if !refund.pin.isEmpty { refund.pin.removeLast() }
        case .character(let c) where !c.isWhitespace && refund.pin.count < TillState.pinLimit:
            refund.pin.append(c)
        case .enter:
            guard !refund.pin.isEmpty else {
                message = Notice("Type the manager PIN, then Enter.")
                return []
            }
            let pin = refund.pin
            refund.pin = ""  // never kept longer than it takes to send it
            refund.step = .checkingPIN
            return [.checkPIN(pin)]
        default:
            break
        }
        return []
    }

    mutating func applyPINCheck(_ check: PINCheck) -> [TillCommand] {
        guard screen == .refund, refund.step == .checkingPIN else { return [] }
        switch check {
        case .accepted:
            refund.step = .pickOrder
            refund.selected = 0
            history.loaded = false
            history.loadingMore = false
            history.activeSearch = nil
            return [.loadHistory(search: nil)]
        case .rejected(let attemptsLeft):
            refund.step = .pin
            message = Notice(attemptsLeft == 1
                ? "Wrong PIN. 1 attempt left before refunds are locked for a while."
                : "Wrong PIN. \(attemptsLeft) attempts left before refunds are locked for a while.", .warning)
        case .lockedOut(let until):
            refund.step = .pin
            message = Notice("Too many wrong PINs: refunds are locked until \(timeText(until)). Try again then.", .alert)
        case .notSet:
            refund.step = .pin
            message = Notice("No manager PIN is set. Set a manager PIN with `shroff set-pin`, then try again.", .warning)
        }
        return []
    }

    mutating func pickRefundOrder(_ key: Key) -> [TillCommand] {
        let lines = refundableLines
        switch key {
        case .escape: screen = .menu
        case .up: refund.selected -= 1
        case .down: refund.selected += 1
        case .pageUp: refund.selected -= historyPageSize
        case .pageDown: refund.selected += historyPageSize
        case .enter:
            guard lines.indices.contains(refund.selected) else { return [] }
            let line = lines[refund.selected]
            refund.order = line
            refund.amountText = line.refundable.decimalString
            refund.step = .amount
        default: break
        }
        refund.selected = max(0, min(refund.selected, lines.count - 1))
        if refund.selected < refund.top { refund.top = refund.selected }
        if refund.selected >= refund.top + historyPageSize { refund.top = refund.selected - historyPageSize + 1 }
        // Near the end of the paid orders held: ask for the next page of today's orders.
        if lines.isEmpty || refund.selected >= lines.count - historyPageSize {
            return moreHistoryIfNear(history.lines.count - 1)
        }
        return []
    }

    mutating func typeRefundAmount(_ key: Key) -> [TillCommand] {
        guard let line = refund.order else { return [] }
        switch key {
        case .escape:
            refund.step = .pickOrder
        case .backspace:
            if !refund.amountText.isEmpty { refund.amountText.removeLast() }
        case .delete:
            refund.amountText = ""
        case .character(let c) where (c.isASCII && c.isNumber) || c == ".":
            if refund.amountText.count < 14 { refund.amountText.append(c) }
        case .enter:
            let amount: Money
            do {
                amount = try Money(parsing: refund.amountText, currency: line.order.amount.currency)
            } catch {
                message = Notice(error.description, .warning)
                return []
            }
            guard amount.minorUnits <= line.refundable.minorUnits else {
                message = Notice("At most \(line.refundable) can be refunded from order \(line.order.id) (paid \(line.order.amount), refunded \(line.refunded)).", .warning)
                return []
            }
            refund.amount = amount
            refund.step = .reason
        default:
            break
        }
        return []
    }

    mutating func typeRefundReason(_ key: Key) -> [TillCommand] {
        switch key {
        case .escape:
            refund.step = .amount
        case .backspace:
            if !refund.reason.isEmpty { refund.reason.removeLast() }
        case .character(let c) where !c.isNewline && refund.reason.count < TillState.reasonLimit:
            refund.reason.append(c)
        case .enter:
            guard !refund.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                message = Notice("Type a reason for the refund (it goes on the receipt and in the ledger).", .warning)
                return []
            }
            refund.step = .confirm
        default:
            break
        }
        return []
    }

    mutating func confirmRefund(_ key: Key) -> [TillCommand] {
        switch key {
        case .character("y"), .character("Y"):
            guard let line = refund.order, let amount = refund.amount else { return [] }
            refund.step = .sending
            return [.refund(line.order.id, amount, reason: refund.reason.trimmingCharacters(in: .whitespaces))]
        case .character("n"), .character("N"), .escape:
            refund.step = .reason
        default:
            message = Notice("Press y to send the refund, n to go back.")
        }
        return []
    }

    mutating func finishRefund(_ report: RefundReport) -> [TillCommand] {
        guard refund.step == .sending else { return [] }
        refund.report = RefundFlow.RefundOutcome(refundID: report.refund.id, amount: report.refund.amount, outcome: report.outcome,
                                                 retriedEarlierRefund: report.retriedEarlierRefund, remaining: report.remaining)
        if case .processing(_, let url?) = report.outcome {
            // The owner scans the confirmation page with the phone; without a code the URL is shown as text.
            refund.report?.confirmationQR = try? QRMatrix.encode(url, level: .medium).halfBlockRows(margin: 2)
        }
        refund.step = .done
        if let index = history.lines.firstIndex(where: { $0.order.id == report.refund.orderID }), report.outcome == .refunded {
            history.lines[index].refunded = history.lines[index].refunded + report.refund.amount
        }
        guard report.outcome == .refunded, let order = refund.order?.order else { return [] }
        return [.printReceipt(Receipt.refund(refund: report.refund, order: order, remaining: report.remaining, storeName: store.name, timeZone: store.timeZone, training: store.training))]
    }

    func drawRefund(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, "Refund")
        let left = 4
        var row = layout.bodyTop + 1
        switch refund.step {
        case .pin, .checkingPIN:
            canvas.put("Refunds are for the owner. Type the manager PIN.", row: row, column: left)
            row += 2
            canvas.put("PIN", row: row, column: left, style: .dim)
            let mask = String(repeating: unicode ? "•" : "*", count: refund.pin.count)
            let end = canvas.put(mask, row: row, column: left + 10, style: .bold)
            if refund.step == .checkingPIN {
                canvas.put("Checking… \(spinnerGlyph)", row: row + 2, column: left)
                return [Binding("", "checking the PIN")]
            }
            canvas.cursor = (row, end)
            return [Binding("Enter", "check"), Binding("Bksp", "delete"), Binding("Esc", "menu")]
        case .pickOrder:
            canvas.put("Pick the paid order to refund:", row: row, column: left)
            row += 1
            let lines = refundableLines
            if !history.loaded {
                canvas.put("Loading…", row: row + 1, column: left)
            } else if lines.isEmpty {
                canvas.put("No paid order today has anything left to refund.", row: row + 1, column: left)
            }
            for (offset, line) in lines.dropFirst(refund.top).prefix(historyPageSize - 1).enumerated() {
                let index = refund.top + offset
                let text = (index == refund.selected ? "> " : "  ") + historyRow(line)
                canvas.put(text, row: row + offset, column: 0, style: index == refund.selected ? .reverse : .normal)
            }
            return [Binding("↑↓", "move"), Binding("Enter", "refund this order"), Binding("Esc", "menu")]
        case .amount, .reason, .confirm:
            guard let line = refund.order else { return [] }
            for (label, value) in [("Order", line.order.id.rawValue), ("Paid", "\(line.order.amount) by \(line.order.wallet.displayName)"),
                                   ("Refunded", line.refunded.description), ("Refundable", line.refundable.description)] {
                canvas.put(label, row: row, column: left, style: .dim)
                canvas.put(value, row: row, column: left + 12)
                row += 1
            }
            row += 1
            canvas.put("Amount", row: row, column: left, style: .dim)
            let amountEnd = canvas.put("\(line.order.amount.currency.code) \(refund.amountText)", row: row, column: left + 12, style: .bold)
            if refund.step == .amount {
                canvas.cursor = (row, amountEnd)
                canvas.put("(all that is left unless you change it)", row: row + 1, column: left + 12, style: .dim)
                return [Binding("Enter", "next"), Binding("Bksp", "delete"), Binding("Del", "clear"), Binding("Esc", "back")]
            }
            row += 2
            canvas.put("Reason", row: row, column: left, style: .dim)
            let reasonEnd = canvas.put(refund.reason, row: row, column: left + 12)
            if refund.step == .reason {
                canvas.cursor = (row, reasonEnd)
                return [Binding("Enter", "next"), Binding("Bksp", "delete"), Binding("Esc", "back")]
            }
            row += 2
            let amount = refund.amount?.description ?? ""
            canvas.put("Refund \(amount) to the customer's \(line.order.wallet.displayName)? y/n", row: row, column: left, style: .warning)
            return [Binding("y", "send the refund"), Binding("n/Esc", "back")]
        case .sending:
            canvas.put("Refunding \(refund.amount?.description ?? "")… \(spinnerGlyph)", row: row, column: left, style: .bold)
            canvas.put("Waiting for the gateway. A retry never refunds twice.", row: row + 2, column: left)
            return [Binding("", "please wait: the refund is on its way")]
        case .done:
            guard let outcome = refund.report else { return [] }
            var lines: [(String, Style)] = []
            switch outcome.outcome {
            case .refunded: lines.append(("REFUNDED \(outcome.amount)", .ok))
            case .failed(let why): lines.append(("REFUND REFUSED: nothing was refunded", .alert)); lines.append((why, .normal))
            case .unknown(let why):
                lines.append(("REFUND OUTCOME UNKNOWN", .alert))
                lines.append((why, .normal))
                lines.append(("Start the refund again for this order: it retries the same refund number, so it never refunds twice.", .bold))
            case .processing(let gatewayID, let url):
                lines.append(("REFUND PROCESSING at the gateway (\(gatewayID))", .warning))
                if let url {
                    lines.append(("The owner must confirm it: scan the code with the owner's phone, or open", .bold))
                    lines.append((url, .normal))
                    lines.append(("The refund stays pending until the gateway confirms it.", .normal))
                } else {
                    lines.append(("Not refunded yet. The gateway will tell the till when it is done.", .normal))
                }
                lines.append(("Start the refund again for this order to ask where it stands; it never refunds twice.", .normal))
            }
            if outcome.retriedEarlierRefund { lines.append(("This retried an earlier refund left in doubt; no new refund was started.", .warning)) }
            lines.append(("Refund number: \(outcome.refundID)", .normal))
            lines.append(("Still refundable: \(outcome.remaining)", .normal))
            if let rows = outcome.confirmationQR, unicode, drawBesideCode(&canvas, layout, rows: rows, lines: lines) {
                return [Binding("Enter", "menu")]
            }
            drawBox(&canvas, layout, lines: lines, minWidth: 50)
            return [Binding("Enter", "menu")]
        case .failed:
            drawBox(&canvas, layout, lines: [("REFUND NOT MADE", .alert), (refund.failure ?? "", .normal)], minWidth: 50)
            return [Binding("Enter", "menu")]
        }
    }
}

extension TillState {
    /// Draws `rows` (a QR code) at the top left and `lines` beside it; false when the terminal
    /// is too small for both, so the caller shows the text alone.
    func drawBesideCode(_ canvas: inout Canvas, _ layout: Layout, rows: [String], lines: [(String, Style)]) -> Bool {
        let qrWidth = rows.first.map(DisplayWidth.of) ?? 0
        // Below the title when there is room; a large code may take the title row, as the QR payment does.
        let top = rows.count <= layout.messageRow - layout.bodyTop ? layout.bodyTop : layout.titleRow
        let column = qrWidth + 3
        let width = layout.size.columns - column - 1
        guard rows.count <= layout.messageRow - top, width >= TillState.qrPanelWidth else { return false }
        for (offset, line) in rows.enumerated() { canvas.put(line, row: top + offset, column: 1, style: .qr) }
        var row = top
        for (text, style) in lines {
            for part in wrap(text, width: width) where row < layout.messageRow {
                canvas.put(part, row: row, column: column, style: style)
                row += 1
            }
        }
        return true
    }
}
