import CheckoutCore
import Words

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
                message = Notice(words("report.confirm_help"))
            }
            return []
        }
        if key == .escape || key == .enter { screen = .menu }
        return []
    }

    func drawReport(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        let z = report.kind == .z
        drawTitle(&canvas, layout, words(z ? "report.z_title" : "report.x_title"))
        let left = 4
        var row = layout.bodyTop + 1
        if report.confirmingClose {
            drawBox(&canvas, layout, lines: [
                (words("report.close_question"), .bold),
                (words("report.close_explained"), .normal),
                (words("report.close_confirm"), .warning),
            ], minWidth: 50)
            return [Binding("y", words("key.close_day")), Binding("n/Esc", words("key.back"))]
        }
        guard let figures = report.figures, !report.loading else {
            canvas.put(words("screen.loading") + " \(spinnerGlyph)", row: row, column: left)
            return [Binding("Esc", words("key.menu"))]
        }
        var heading = words("report.day", ["day": words.day(figures.day)])
        if !figures.tillNames.isEmpty {
            heading += words("report.covers", ["tills": words.tills(figures.tillNames, all: figures.tills == .allTills)])
        }
        if let closed = figures.closedAt { heading += words("report.closed_at", ["time": timeText(closed)]) }
        canvas.put(heading, row: row, column: left, style: .bold)
        row += 2
        canvas.put(pad(words("report.wallet"), 12) + pad(words("report.paid_orders"), 12, right: true) + pad(words("report.paid"), 16, right: true)
                   + pad(words("report.received"), 16, right: true) + pad(words("report.refunded"), 16, right: true), row: row, column: left, style: .dim)
        row += 1
        for line in figures.wallets {
            canvas.put(pad(wallet(line.wallet), 12) + pad(String(line.count), 12, right: true) + pad(amount(line.paid), 16, right: true)
                       + pad(amount(line.received), 16, right: true) + pad(amount(line.refunded), 16, right: true), row: row, column: left)
            row += 1
        }
        row += 1
        let totals = [("report.total_paid", figures.paid), ("report.received", figures.received), ("report.refunds", figures.refunded),
                      ("report.net", figures.net)]
        for (label, money) in totals {
            canvas.put(pad(words(label), 14), row: row, column: left, style: .dim)
            canvas.put(pad(amount(money), 16, right: true), row: row, column: left + 14, style: label == "report.net" ? .bold : .normal)
            row += 1
        }
        if let first = figures.receivedDifferences.first {
            // Where the money received is not the price: how many orders, and the first of them.
            let count = figures.receivedDifferences.count
            canvas.put(words(count == 1 ? "report.received_differs_one" : "report.received_differs", ["count": String(count)]),
                       row: row, column: left, style: .warning)
            canvas.put("  " + words("report.difference", ["order": first.orderID.rawValue, "received": amount(first.received),
                                                          "price": amount(first.price), "status": words("report.status.\(first.status.rawValue)")]),
                       row: row + 1, column: left, width: layout.size.columns - left)
            row += 2
        } else if figures.received != figures.paid {
            canvas.put(words("report.received_differs_by", ["amount": amount(figures.received - figures.paid)]), row: row, column: left, style: .warning)
            row += 1
        }
        row += 1
        let counts = OrderStatus.allCases.compactMap { status -> String? in
            guard let count = figures.countsByStatus[status], count > 0 else { return nil }
            return words("report.status_count", ["status": words("report.status.\(status.rawValue)"), "count": String(count)])
        }
        canvas.put(words("report.orders", ["counts": counts.isEmpty ? words("report.none") : counts.joined(separator: words("list.separator"))]),
                   row: row, column: left)
        let open = (figures.countsByStatus[.pending] ?? 0) + (figures.countsByStatus[.unknown] ?? 0)
        if open > 0 {
            row += 2
            canvas.put(words("report.open_orders", ["count": String(open)]), row: row, column: left, style: .alert)
        }
        if !figures.attention.isEmpty {
            row += 2
            canvas.put(words("report.attention", ["count": String(figures.attention.count)]), row: row, column: left, style: .alert)
        }
        return [Binding("Enter/Esc", words("key.menu")), Binding("F10", words("key.quit"))]
    }
}
