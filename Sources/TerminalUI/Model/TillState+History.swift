import CheckoutCore
import Ledger

extension TillState {
    /// Rows of the list the history shows at the current size.
    var historyPageSize: Int { max(1, Layout(size: size).bodyHeight - 2) }

    mutating func handleHistoryKey(_ key: Key) -> [TillCommand] {
        if let search = history.searchText {
            switch key {
            case .enter:
                let text = search.trimmingCharacters(in: .whitespaces)
                history.searchText = nil
                history.activeSearch = text.isEmpty ? nil : text
                history.selected = 0
                history.top = 0
                history.loaded = false
                history.loadingMore = false
                return [.loadHistory(search: history.activeSearch)]
            case .escape:
                history.searchText = nil
            case .backspace:
                if !search.isEmpty { history.searchText?.removeLast() }
            // Letters and digits (order number, code, trade id) and "." (an amount).
            case .character(let c) where (c.isASCII && (c.isLetter || c.isNumber || c == ".")) && search.count < 32:
                history.searchText?.append(c)
            default:
                break
            }
            return []
        }
        let count = history.lines.count
        switch key {
        case .up: history.selected -= 1
        case .down: history.selected += 1
        case .pageUp: history.selected -= historyPageSize
        case .pageDown: history.selected += historyPageSize
        case .home: history.selected = 0
        case .end: history.selected = count - 1
        case .character("/"):
            history.searchText = ""
        case .escape:
            screen = .menu
        case .enter, .character("r"), .character("R"):
            guard history.lines.indices.contains(history.selected) else { return [] }
            let order = history.lines[history.selected].order
            if key == .enter, order.status.isFinal {
                message = Notice("Order \(order.id) is \(order.status.rawValue.uppercased()): nothing to settle. Press r to compare it with the gateway anyway.")
                return []
            }
            return requery(order.id)
        default:
            break
        }
        history.selected = max(0, min(history.selected, count - 1))
        scrollHistory()
        return moreHistoryIfNear(history.selected)
    }

    /// Asks for the next page once `index` is within a screenful of the end of what is held.
    mutating func moreHistoryIfNear(_ index: Int) -> [TillCommand] {
        guard history.loaded, history.hasMore, !history.loadingMore, let last = history.lines.last,
              index >= history.lines.count - historyPageSize else { return [] }
        history.loadingMore = true
        return [.loadMoreHistory(search: history.activeSearch, after: OrderCursor(after: last.order))]
    }

    mutating func scrollHistory() {
        let page = historyPageSize
        if history.selected < history.top { history.top = history.selected }
        if history.selected >= history.top + page { history.top = history.selected - page + 1 }
        history.top = max(0, history.top)
    }

    /// One history row: time, order number, wallet, amount, status, refunded. Fits 76 columns.
    func historyRow(_ line: OrderLine) -> String {
        let order = line.order
        // "!" marks an order a notification flagged (paid after close): a person must look.
        let status = order.status.rawValue.uppercased() + (order.attention == nil ? "" : "!")
        let refunded = line.refunded.minorUnits > 0 ? line.refunded.decimalString : ""
        return pad(timeText(order.createdAt), 6) + pad(order.id.rawValue, 21) + pad(order.wallet.displayName, 11)
            + pad(order.amount.decimalString, 12, right: true) + "  " + pad(status, 10) + pad(refunded, 12, right: true)
    }

    func drawHistory(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        let title = history.activeSearch.map { "Orders of every day matching \"\($0)\"" } ?? "Today's orders"
        drawTitle(&canvas, layout, title)
        let top = layout.bodyTop
        canvas.put(pad("Time", 6) + pad("Order", 21) + pad("Wallet", 11) + pad("Amount", 12, right: true) + "  "
                   + pad("Status", 10) + pad("Refunded", 12, right: true), row: top, column: 2, style: .dim)
        if !history.loaded {
            canvas.put("Loading…", row: top + 2, column: 2)
        } else if history.lines.isEmpty {
            canvas.put(history.activeSearch == nil ? "No orders today yet." : "No order matches that number, code, trade or amount.", row: top + 2, column: 2)
        }
        let page = historyPageSize
        for (offset, line) in history.lines.dropFirst(history.top).prefix(page).enumerated() {
            let index = history.top + offset
            let open = !line.order.status.isFinal || line.order.attention != nil
            let style: Style = index == history.selected ? .reverse : (open ? .alert : .normal)
            let marker = index == history.selected ? "> " : "  "
            canvas.put(marker + historyRow(line), row: top + 1 + offset, column: 0, style: style, width: layout.size.columns)
        }
        if history.lines.count > page || history.hasMore {
            canvas.put("\(history.selected + 1)/\(history.lines.count)\(history.hasMore ? "+" : "")", row: layout.titleRow, column: layout.size.columns - 10, style: .dim)
        }
        if let search = history.searchText {
            let end = canvas.put("Number, code, trade or amount: " + search, row: layout.messageRow, column: 1, style: .bold)
            canvas.cursor = (layout.messageRow, end)
            return [Binding("Enter", "search"), Binding("Esc", "cancel"), Binding("Bksp", "delete")]
        }
        return [Binding("↑↓ PgUp/PgDn", "move"), Binding("/", "search"), Binding("Enter", "settle open"),
                Binding("r", "ask gateway"), Binding("Esc", "menu"), Binding("F10", "quit")]
    }
}

/// `text` cut or padded with spaces to exactly `width` display columns.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    var cut = ""
    var used = 0
    for character in text {
        let w = DisplayWidth.of(character)
        if used + w > width { break }
        cut.append(character)
        used += w
    }
    let fill = String(repeating: " ", count: width - used)
    return right ? fill + cut : cut + fill
}
