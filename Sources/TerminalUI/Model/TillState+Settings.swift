extension TillState {
    mutating func handleSettingsKey(_ key: Key) -> [TillCommand] {
        switch key {
        case .escape, .enter: screen = .menu
        case .up: settingsTop = max(0, settingsTop - 1)
        case .down: settingsTop = min(max(0, store.settings.count - 1), settingsTop + 1)
        default: break
        }
        return []
    }

    func drawSettings(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        drawTitle(&canvas, layout, "Settings (read only: edit the configuration file)")
        var row = layout.bodyTop
        let training = store.training ? "on (built-in sandbox; receipts say TRAINING)" : "off"
        let rows = [("Training mode", training)] + store.settings.map { ($0.label, $0.value) }
        for (label, value) in rows.dropFirst(settingsTop).prefix(layout.bodyHeight) {
            canvas.put(pad(label, 18), row: row, column: 2, style: .dim)
            canvas.put(value, row: row, column: 21, width: layout.size.columns - 22)
            row += 1
        }
        return [Binding("↑↓", "scroll"), Binding("Esc", "menu"), Binding("F10", "quit")]
    }
}
