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
        drawTitle(&canvas, layout, words("settings.title"))
        var row = layout.bodyTop
        let training = words(store.training ? "settings.training_on" : "settings.training_off")
        let rows = [(words("settings.training"), training)] + store.settings.map { ($0.label, $0.value) }
        // Long values (paths, the mode) wrap under themselves rather than being cut off.
        let valueWidth = max(1, layout.size.columns - 22)
        for (label, value) in rows.dropFirst(settingsTop) {
            let lines = wrap(value, width: valueWidth)
            guard row + lines.count <= layout.bodyTop + layout.bodyHeight else { break }
            canvas.put(pad(label, 18), row: row, column: 2, style: .dim)
            for line in lines {
                canvas.put(line, row: row, column: 21, width: valueWidth)
                row += 1
            }
        }
        return [Binding("↑↓", words("key.scroll")), Binding("Esc", words("key.menu")), Binding("F10", words("key.quit"))]
    }
}
