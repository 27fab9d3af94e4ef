import CheckoutCore

extension TillState {
    /// Columns the text beside the QR code needs.
    static let qrPanelWidth = 30

    /// The credential's own code when it fits; else its short pay link's; else why neither can
    /// be drawn, and what to set or do.
    func drawQR(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        guard let view = checkout else { return [] }
        guard unicode, view.qrRows != nil || view.linkRows != nil || view.qrIsForm else {
            return drawQRWithoutCode(&canvas, layout, view)
        }
        // The code starts on the title row: every row counts at 80×24.
        let top = layout.titleRow
        let fits = { (rows: [String]) in rows.count <= layout.messageRow - top && self.qrSize(rows).columns <= layout.size.columns }
        guard let rows = [view.qrRows, view.linkRows].compactMap({ $0 }).first(where: fits) else {
            drawTitle(&canvas, layout, words("qr.title", ["wallet": wallet(view.wallet)]))
            var row = layout.bodyTop + 1
            for line in wrap(tooLarge(view, layout), width: layout.size.columns - 8) {
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
        let column = (rows.first.map(DisplayWidth.of) ?? 0) + 3
        canvas.put(words("qr.scan_to_pay", ["spinner": spinnerGlyph]), row: top, column: column, style: .title)
        drawQRFacts(&canvas, view, row: top + 2, column: column, width: layout.size.columns - column - 1)
        return waitingBindings
    }

    /// The terminal a code of `rows` needs: the code, a gap and the panel beside it, and room
    /// above and below.
    func qrSize(_ rows: [String]) -> TerminalSize {
        TerminalSize(columns: (rows.first.map(DisplayWidth.of) ?? 0) + 2 + TillState.qrPanelWidth, rows: rows.count + 4)
    }

    /// Why nothing is drawn: the code is too large (and no pay link is given out), or the
    /// credential is a form and only a pay link can carry it.
    func tooLarge(_ view: CheckoutView, _ layout: Layout) -> String {
        if let linkRows = view.linkRows { return UndrawnQR.linkTooLarge(needs: qrSize(linkRows)).words(now: layout.size, words) }
        if view.qrIsForm { return UndrawnQR.formWithoutLink.words(now: layout.size, words) + " " + words("qr.esc_cancels") }
        return UndrawnQR.tooLarge(needs: view.qrRows.map(qrSize)).words(now: layout.size, words)
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
        // A form is a page for a browser, not something to read out: only its link is.
        if let link = view.payLink ?? (view.qrIsForm ? nil : view.qrPayload) { lines.append((words("qr.link", ["link": link]), .normal)) }
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
