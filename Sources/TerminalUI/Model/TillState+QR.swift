import CheckoutCore

extension TillState {
    /// Columns the text beside the QR code needs.
    static let qrPanelWidth = 30

    func drawQR(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = checkout else { return [] }
        guard let rows = view.qrRows, unicode else {
            return drawQRWithoutCode(&canvas, layout, view)
        }
        let qrWidth = rows.first.map(DisplayWidth.of) ?? 0
        // The code starts on the title row: every row counts at 80×24.
        let top = layout.titleRow
        let available = layout.messageRow - top
        let needed = TerminalSize(columns: qrWidth + 2 + TillState.qrPanelWidth, rows: rows.count + 4)
        guard rows.count <= available, needed.columns <= layout.size.columns else {
            drawTitle(&canvas, layout, words("qr.title", ["wallet": wallet(view.wallet)]))
            var row = layout.bodyTop + 1
            let text = words("qr.too_small", ["size": "\(needed.columns)×\(needed.rows)", "now": "\(layout.size.columns)×\(layout.size.rows)"])
            for line in wrap(text, width: layout.size.columns - 8) {
                canvas.put(line, row: row, column: 4, style: .warning)
                row += 1
            }
            row += 1
            drawQRFacts(&canvas, view, row: row, column: 4, width: layout.size.columns - 8)
            return waitingBindings
        }
        for (offset, line) in rows.enumerated() {
            canvas.put(line, row: top + offset, column: 1, style: .qr)
        }
        let column = qrWidth + 3
        canvas.put(words("qr.scan_to_pay", ["spinner": spinnerGlyph]), row: top, column: column, style: .title)
        drawQRFacts(&canvas, view, row: top + 2, column: column, width: layout.size.columns - column - 1)
        return waitingBindings
    }

    /// Amount, status and time left beside (or instead of) the code.
    func drawQRFacts(_ canvas: inout Canvas, _ view: CheckoutView, row: Int, column: Int, width: Int) {
        var row = row
        for (label, value, style) in checkoutFacts(view) {
            canvas.put(label, row: row, column: column, style: .dim)
            canvas.put(value, row: row, column: column + 10, style: style, width: width - 10)
            row += 1
        }
        row += 1
        let status = view.confirmingCancel ? words("checkout.confirm_cancel") : view.step
        for line in wrap(status, width: width).prefix(4) {
            canvas.put(line, row: row, column: column, style: view.confirmingCancel ? .warning : .normal)
            row += 1
        }
    }

    func drawQRWithoutCode(_ canvas: inout Canvas, _ layout: Layout, _ view: CheckoutView) -> [Binding] {
        drawTitle(&canvas, layout, words("qr.title", ["wallet": wallet(view.wallet)]))
        var row = layout.bodyTop
        var lines: [(String, Style)] = []
        if view.qrPayload != nil, !unicode {
            lines.append((words("qr.not_utf8"), .warning))
        } else if let error = view.qrError {
            lines.append((words("qr.cannot_draw", ["error": error]), .alert))
        }
        if let payload = view.qrPayload { lines.append((words("qr.link", ["link": payload]), .normal)) }
        for (text, style) in lines {
            for line in wrap(text, width: layout.size.columns - 8).prefix(4) {
                canvas.put(line, row: row, column: 4, style: style)
                row += 1
            }
        }
        row += 1
        drawQRFacts(&canvas, view, row: row, column: 4, width: layout.size.columns - 8)
        return waitingBindings
    }
}
