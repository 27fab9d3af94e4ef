extension TillState {
    /// The menu's entries: function key, letter, the message naming what it opens.
    static let menuEntries: [(function: Int, letter: Character, label: String)] = [
        (3, "h", "menu.history"),
        (4, "f", "menu.refund"),
        (5, "x", "menu.x_report"),
        (6, "z", "menu.z_report"),
        (7, "g", "menu.settings"),
        (10, "q", "menu.quit"),
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
                message = Notice(words("menu.no_refunds", ["gateway": store.gateway.name, "advice": store.gateway.refundAdvice]), .warning)
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
        drawTitle(&canvas, layout, words("menu.title"))
        var row = layout.bodyTop + 1
        for entry in TillState.menuEntries {
            canvas.put("F\(entry.function)", row: row, column: 6, style: .bold)
            canvas.put(String(entry.letter), row: row, column: 11, style: .bold)
            let offered = entry.function != 4 || store.gateway.refunds
            canvas.put(offered ? words(entry.label) : words("menu.refund_not_offered", ["gateway": store.gateway.name]), row: row, column: 15,
                       style: offered ? .normal : .dim)
            row += 2
        }
        return [Binding(words("key.menu_keys"), words("key.open")), Binding("Esc/m", words("key.back_to_sale")), Binding("F10/q", words("key.quit"))]
    }
}
