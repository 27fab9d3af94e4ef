extension TillState {
    /// The menu's entries: function key, letter, what it opens.
    static let menuEntries: [(function: Int, letter: Character, label: String)] = [
        (3, "h", "History: today's orders, search, ask the gateway again"),
        (4, "f", "Refund (owner: manager PIN)"),
        (5, "x", "X report: the day so far"),
        (6, "z", "Z report: close the day"),
        (7, "g", "Settings"),
        (10, "q", "Quit"),
    ]

    mutating func handleMenuKey(_ key: Key) -> [TillCommand] {
        switch key {
        case .escape, .character("m"), .character("M"):
            screen = .sale
        case .character(let letter):
            guard let entry = TillState.menuEntries.first(where: { $0.letter == Character(letter.lowercased()) }),
                  let commands = openFromMenu(functionKey: entry.function) else { return [] }
            return commands
        default:
            break
        }
        return []
    }

    /// Opens a menu entry by its function key (F2 opens the menu itself); nil when the key is not one.
    mutating func openFromMenu(functionKey: Int) -> [TillCommand]? {
        switch functionKey {
        case 2:
            if screen == .result { leaveResult() }
            screen = .menu
            return []
        case 3:
            leaveResult()
            screen = .history
            history.searchText = nil
            history.activeSearch = nil
            history.loadingMore = false
            return [.loadHistory(search: nil)]
        case 4:
            guard store.gateway.refunds else {
                message = Notice("The \(store.gateway.name) gateway takes no refunds from the till: \(store.gateway.refundAdvice).", .warning)
                return []
            }
            leaveResult()
            screen = .refund
            refund = RefundFlow()
            return []
        case 5:
            leaveResult()
            screen = .report
            report = ReportView(kind: .x, confirmingClose: false, loading: true, figures: nil)
            return [.loadReport]
        case 6:
            leaveResult()
            screen = .report
            report = ReportView(kind: .z, confirmingClose: true, loading: false, figures: nil)
            return []
        case 7:
            leaveResult()
            screen = .settings
            settingsTop = 0
            return []
        case 10:
            return requestQuit()
        default:
            return nil
        }
    }

    func drawMenu(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, "Menu")
        var row = layout.bodyTop + 1
        for entry in TillState.menuEntries {
            canvas.put("F\(entry.function)", row: row, column: 6, style: .bold)
            canvas.put(String(entry.letter), row: row, column: 11, style: .bold)
            let offered = entry.function != 4 || store.gateway.refunds
            canvas.put(offered ? entry.label : "Refund: not offered by \(store.gateway.name) (use its back office)", row: row, column: 15,
                       style: offered ? .normal : .dim)
            row += 2
        }
        return [Binding("F3-F7/letter", "open"), Binding("Esc/m", "back to the sale"), Binding("F10/q", "quit")]
    }
}
