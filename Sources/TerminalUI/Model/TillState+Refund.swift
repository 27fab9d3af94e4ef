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
                message = Notice(words("refund.type_pin"))
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
            message = Notice(words(attemptsLeft == 1 ? "refund.wrong_pin_one" : "refund.wrong_pin", ["attempts": String(attemptsLeft)]), .warning)
        case .lockedOut(let until):
            refund.step = .pin
            message = Notice(words("refund.locked", ["time": timeText(until)]), .alert)
        case .notSet:
            refund.step = .pin
            message = Notice(words("refund.no_pin"), .warning)
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
                message = Notice(words.reason(error), .warning)
                return []
            }
            guard amount.minorUnits <= line.refundable.minorUnits else {
                message = Notice(words("refund.too_much", ["refundable": self.amount(line.refundable), "order": line.order.id.rawValue,
                                                           "paid": self.amount(line.order.amount), "refunded": self.amount(line.refunded)]), .warning)
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
                message = Notice(words("refund.need_reason"), .warning)
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
            message = Notice(words("refund.confirm_help"))
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
        return [.printReceipt(Receipt.refund(refund: report.refund, order: order, remaining: report.remaining, storeName: store.name, timeZone: store.timeZone, training: store.training, words: words))]
    }

    func drawRefund(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, words("refund.title"))
        let left = 4
        var row = layout.bodyTop + 1
        switch refund.step {
        case .pin, .checkingPIN:
            canvas.put(words("refund.owner_only"), row: row, column: left)
            row += 2
            canvas.put(words("refund.pin"), row: row, column: left, style: .dim)
            let mask = String(repeating: unicode ? "•" : "*", count: refund.pin.count)
            let end = canvas.put(mask, row: row, column: left + 10, style: .bold)
            if refund.step == .checkingPIN {
                canvas.put(words("refund.checking") + " \(spinnerGlyph)", row: row + 2, column: left)
                return [Binding("", words("key.checking_pin"))]
            }
            canvas.cursor = (row, end)
            return [Binding("Enter", words("key.check")), Binding("Bksp", words("key.delete")), Binding("Esc", words("key.menu"))]
        case .pickOrder:
            canvas.put(words("refund.pick"), row: row, column: left)
            row += 1
            let lines = refundableLines
            if !history.loaded {
                canvas.put(words("screen.loading"), row: row + 1, column: left)
            } else if lines.isEmpty {
                canvas.put(words("refund.nothing"), row: row + 1, column: left)
            }
            for (offset, line) in lines.dropFirst(refund.top).prefix(historyPageSize - 1).enumerated() {
                let index = refund.top + offset
                let text = (index == refund.selected ? "> " : "  ") + historyRow(line)
                canvas.put(text, row: row + offset, column: 0, style: index == refund.selected ? .reverse : .normal)
            }
            return [Binding("↑↓", words("key.move")), Binding("Enter", words("key.refund_this")), Binding("Esc", words("key.menu"))]
        case .amount, .reason, .confirm:
            guard let line = refund.order else { return [] }
            let facts = [(words("refund.order"), line.order.id.rawValue),
                         (words("refund.paid"), words("refund.paid_by", ["amount": amount(line.order.amount), "wallet": wallet(line.order.wallet)])),
                         (words("refund.refunded"), amount(line.refunded)), (words("refund.refundable"), amount(line.refundable))]
            for (label, value) in facts {
                canvas.put(label, row: row, column: left, style: .dim)
                canvas.put(value, row: row, column: left + 12)
                row += 1
            }
            row += 1
            canvas.put(words("refund.amount"), row: row, column: left, style: .dim)
            let amountEnd = canvas.put("\(line.order.amount.currency.code) \(refund.amountText)", row: row, column: left + 12, style: .bold)
            if refund.step == .amount {
                canvas.cursor = (row, amountEnd)
                canvas.put(words("refund.all_left"), row: row + 1, column: left + 12, style: .dim)
                return [Binding("Enter", words("key.next")), Binding("Bksp", words("key.delete")), Binding("Del", words("key.clear")),
                        Binding("Esc", words("key.back"))]
            }
            row += 2
            canvas.put(words("refund.reason"), row: row, column: left, style: .dim)
            let reasonEnd = canvas.put(refund.reason, row: row, column: left + 12)
            if refund.step == .reason {
                canvas.cursor = (row, reasonEnd)
                return [Binding("Enter", words("key.next")), Binding("Bksp", words("key.delete")), Binding("Esc", words("key.back"))]
            }
            row += 2
            let refundAmount = refund.amount.map(amount) ?? ""
            canvas.put(words("refund.confirm", ["amount": refundAmount, "wallet": wallet(line.order.wallet)]), row: row, column: left, style: .warning)
            return [Binding("y", words("key.send_refund")), Binding("n/Esc", words("key.back"))]
        case .sending:
            canvas.put(words("refund.sending", ["amount": refund.amount.map(amount) ?? ""]) + " \(spinnerGlyph)", row: row, column: left, style: .bold)
            canvas.put(words("refund.sending_wait"), row: row + 2, column: left)
            return [Binding("", words("key.refund_on_way"))]
        case .done:
            guard let outcome = refund.report else { return [] }
            var lines: [(String, Style)] = []
            switch outcome.outcome {
            case .refunded: lines.append((words("refund.refunded_amount", ["amount": amount(outcome.amount)]), .ok))
            case .failed(let why): lines.append((words("refund.refused"), .alert)); lines.append((words.reason(why), .normal))
            case .unknown(let doubt):
                lines.append((words("refund.unknown"), .alert))
                lines.append((words.reason(doubt), .normal))
                lines.append((words("refund.unknown_advice"), .bold))
            case .processing(let gatewayID, let url):
                lines.append((words("refund.processing", ["refund": gatewayID]), .warning))
                if let url {
                    lines.append((words("refund.owner_confirms"), .bold))
                    lines.append((url, .normal))
                    lines.append((words("refund.pending_until"), .normal))
                } else {
                    lines.append((words("refund.not_yet"), .normal))
                }
                lines.append((words("refund.ask_again"), .normal))
            }
            if outcome.retriedEarlierRefund { lines.append((words("refund.retried"), .warning)) }
            lines.append((words("refund.number", ["refund": outcome.refundID.rawValue]), .normal))
            lines.append((words("refund.still_refundable", ["amount": amount(outcome.remaining)]), .normal))
            if let rows = outcome.confirmationQR, unicode, drawBesideCode(&canvas, layout, rows: rows, lines: lines) {
                return [Binding("Enter", words("key.menu"))]
            }
            drawBox(&canvas, layout, lines: lines, minWidth: 50)
            return [Binding("Enter", words("key.menu"))]
        case .failed:
            drawBox(&canvas, layout, lines: [(words("refund.not_made"), .alert), (refund.failure.map(words.reason) ?? "", .normal)], minWidth: 50)
            return [Binding("Enter", words("key.menu"))]
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
