import CheckoutCore

extension TillState {
    mutating func handleReportKey(_ key: Key) -> [TillCommand] {
        if report.confirmingClose {
            switch key {
            case .character("y"), .character("Y"):
                report.confirmingClose = false
                report.loading = true
                return [.closeDay]
            case .character("n"), .character("N"), .escape:
                screen = .menu
            default:
                message = Notice("Close the day? Press y to close it, n to go back.")
            }
            return []
        }
        if key == .escape || key == .enter { screen = .menu }
        return []
    }

    func drawReport(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        let z = report.kind == .z
        drawTitle(&canvas, layout, z ? "Z report: close the day" : "X report: the day so far")
        let left = 4
        var row = layout.bodyTop + 1
        if report.confirmingClose {
            drawBox(&canvas, layout, lines: [
                ("Close the day?", .bold),
                ("This ends today's takings: the Z report is kept and the next sale counts for a new day. It cannot be undone.", .normal),
                ("Close the day? y/n", .warning),
            ], minWidth: 50)
            return [Binding("y", "close the day"), Binding("n/Esc", "back")]
        }
        guard let figures = report.figures, !report.loading else {
            canvas.put("Loading… \(spinnerGlyph)", row: row, column: left)
            return [Binding("Esc", "menu")]
        }
        var heading = "Day \(figures.day)"
        if let closed = figures.closedAt { heading += " · closed at \(timeText(closed))" }
        canvas.put(heading, row: row, column: left, style: .bold)
        row += 2
        canvas.put(pad("Wallet", 12) + pad("Paid orders", 12, right: true) + pad("Paid", 16, right: true)
                   + pad("Received", 16, right: true) + pad("Refunded", 16, right: true), row: row, column: left, style: .dim)
        row += 1
        for line in figures.wallets {
            canvas.put(pad(line.wallet.displayName, 12) + pad(String(line.count), 12, right: true) + pad(line.paid.description, 16, right: true)
                       + pad(line.received.description, 16, right: true) + pad(line.refunded.description, 16, right: true), row: row, column: left)
            row += 1
        }
        row += 1
        for (label, money) in [("Total paid", figures.paid), ("Received", figures.received), ("Refunds", figures.refunded), ("Net", figures.net)] {
            canvas.put(pad(label, 14), row: row, column: left, style: .dim)
            canvas.put(pad(money.description, 16, right: true), row: row, column: left + 14, style: label == "Net" ? .bold : .normal)
            row += 1
        }
        if let first = figures.receivedDifferences.first {
            // Where the money received is not the price: how many orders, and the first of them.
            let count = figures.receivedDifferences.count
            canvas.put("Received differs from the price on \(count) order\(count == 1 ? "" : "s") (history: F3):", row: row, column: left, style: .warning)
            canvas.put("  " + first.summary, row: row + 1, column: left, width: layout.size.columns - left)
            row += 2
        } else if figures.received != figures.paid {
            canvas.put("Received differs from the prices by \(figures.received - figures.paid).", row: row, column: left, style: .warning)
            row += 1
        }
        row += 1
        let counts = OrderStatus.allCases.compactMap { status -> String? in
            guard let count = figures.countsByStatus[status], count > 0 else { return nil }
            return "\(status.rawValue) \(count)"
        }
        canvas.put("Orders: " + (counts.isEmpty ? "none" : counts.joined(separator: ", ")), row: row, column: left)
        let open = (figures.countsByStatus[.pending] ?? 0) + (figures.countsByStatus[.unknown] ?? 0)
        if open > 0 {
            row += 2
            canvas.put("\(open) order(s) still pending or unknown: settle them in the history (F3).", row: row, column: left, style: .alert)
        }
        if !figures.attention.isEmpty {
            row += 2
            canvas.put("\(figures.attention.count) order(s) NEED ATTENTION (paid after close, underpaid): see them in the history (F3).",
                       row: row, column: left, style: .alert)
        }
        return [Binding("Enter/Esc", "menu"), Binding("F10", "quit")]
    }
}
