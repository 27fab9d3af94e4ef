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
                message = Notice(words("history.final", ["order": order.id.rawValue, "status": words.status(order.status)]))
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
        let status = words.status(order.status) + (order.attention == nil ? "" : "!")
        let refunded = line.refunded.minorUnits > 0 ? line.refunded.decimalString : ""
        return pad(timeText(order.createdAt), 6) + pad(order.id.rawValue, 21) + pad(wallet(order.wallet), 11)
            + pad(order.amount.decimalString, 12, right: true) + "  " + pad(status, 10) + pad(refunded, 12, right: true)
    }

    func drawHistory(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        let title = history.activeSearch.map { words("history.search_title", ["search": $0]) } ?? words("history.title")
        drawTitle(&canvas, layout, title)
        let top = layout.bodyTop
        canvas.put(pad(words("history.time"), 6) + pad(words("history.order"), 21) + pad(words("history.wallet"), 11)
                   + pad(words("history.amount"), 12, right: true) + "  "
                   + pad(words("history.status"), 10) + pad(words("history.refunded"), 12, right: true), row: top, column: 2, style: .dim)
        if !history.loaded {
            canvas.put(words("screen.loading"), row: top + 2, column: 2)
        } else if history.lines.isEmpty {
            canvas.put(words(history.activeSearch == nil ? "history.empty" : "history.no_match"), row: top + 2, column: 2)
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
            let end = canvas.put(words("history.search_prompt") + search, row: layout.messageRow, column: 1, style: .bold)
            canvas.cursor = (layout.messageRow, end)
            return [Binding("Enter", words("key.search")), Binding("Esc", words("key.cancel")), Binding("Bksp", words("key.delete"))]
        }
        return [Binding("↑↓ PgUp/PgDn", words("key.move")), Binding("/", words("key.search")), Binding("Enter", words("key.settle_open")),
                Binding("r", words("key.ask_gateway")), Binding("Esc", words("key.menu")), Binding("F10", words("key.quit"))]
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
