import CheckoutCore
import Foundation
import Words

/// One key binding in the footer: the key as printed, and what it does.
struct Binding {
    var key: String
    var label: String
    init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }
}

/// The rows every screen shares at a given size: header, title, body, message, footer.
struct Layout {
    let size: TerminalSize
    var headerRow: Int { 0 }
    var titleRow: Int { 1 }
    var bodyTop: Int { 2 }
    /// The two rows for a notice, above the footer.
    var messageRow: Int { size.rows - 3 }
    var footerRow: Int { size.rows - 1 }
    var bodyHeight: Int { messageRow - bodyTop }
}

extension TillState {
    /// The whole screen for the current state: a pure function of the state and `size`.
    public func render(size: TerminalSize) -> Frame {
        var canvas = Canvas(size: size, unicode: unicode)
        guard size.covers(.minimum) else {
            let text = words("screen.too_small", ["columns": String(TerminalSize.minimum.columns), "rows": String(TerminalSize.minimum.rows),
                                                  "now": "\(size.columns)×\(size.rows)"])
            let lines = wrap(text, width: max(1, size.columns))
            let top = max(0, (size.rows - lines.count) / 2)
            for (offset, line) in lines.enumerated() {
                canvas.put(line, row: top + offset, column: max(0, (size.columns - DisplayWidth.of(line)) / 2), style: .warning)
            }
            return canvas.frame
        }
        let layout = Layout(size: size)
        drawHeader(&canvas, layout)
        let bindings = drawBody(&canvas, layout)
        drawMessage(&canvas, layout)
        drawFooter(&canvas, layout, bindings)
        return canvas.frame
    }

    /// The keys the current screen offers in its footer at `size`.
    func bindings(size: TerminalSize) -> [Binding] {
        var canvas = Canvas(size: size, unicode: unicode)
        return drawBody(&canvas, Layout(size: size))
    }

    /// Draws the current screen's body; returns the keys it offers.
    private func drawBody(_ canvas: inout Canvas, _ layout: Layout) -> [Binding] {
        switch screen {
        case .sale: drawSale(&canvas, layout)
        case .checkout: checkout?.method == .qr ? drawQR(&canvas, layout) : drawWaiting(&canvas, layout)
        case .result: drawResult(&canvas, layout)
        case .menu: drawMenu(&canvas, layout)
        case .history: drawHistory(&canvas, layout)
        case .refund: drawRefund(&canvas, layout)
        case .report: drawReport(&canvas, layout)
        case .settings: drawSettings(&canvas, layout)
        }
    }

    func drawHeader(_ canvas: inout Canvas, _ layout: Layout) {
        let row = layout.headerRow
        canvas.fill(row: row, style: .title)
        canvas.put(" Shroff · \(store.name)", row: row, column: 0, style: .title, width: layout.size.columns - 12)
        canvas.put(clockText + " ", row: row, column: layout.size.columns - 9, style: .title)
        if store.training {
            let banner = " \(words("header.training")) "
            let column = (layout.size.columns - DisplayWidth.of(banner)) / 2
            canvas.put(banner, row: row, column: column, style: .training)
        }
    }

    /// Writes the screen's title on the second row, followed by a rule.
    func drawTitle(_ canvas: inout Canvas, _ layout: Layout, _ title: String, style: Style = .bold) {
        let end = canvas.put(" \(title) ", row: layout.titleRow, column: 1, style: style)
        canvas.put(String(repeating: "─", count: max(0, layout.size.columns - end - 1)), row: layout.titleRow, column: end, style: .dim)
    }

    func drawMessage(_ canvas: inout Canvas, _ layout: Layout) {
        guard let message = message ?? scannerProblem.map({ Notice($0, .alert) }) else { return }
        let style: Style = switch message.kind {
        case .info: .bold
        case .warning: .warning
        case .alert: .alert
        }
        let prefix = message.kind == .info ? "" : "! "
        for (offset, line) in wrap(prefix + message.text, width: layout.size.columns - 2).prefix(2).enumerated() {
            canvas.put(line, row: layout.messageRow + offset, column: 1, style: style)
        }
    }

    func drawFooter(_ canvas: inout Canvas, _ layout: Layout, _ bindings: [Binding]) {
        canvas.fill(row: layout.footerRow, style: .footer)
        var column = 1
        // Labels are kept short enough that every key fits at 80 columns in every language
        // (ModelFooterTests checks each screen); the guard only keeps a line from wrapping.
        for binding in bindings {
            let text = "\(binding.key) \(binding.label)"
            guard column + DisplayWidth.of(text) <= layout.size.columns else { break }
            column = canvas.put(text, row: layout.footerRow, column: column, style: .footer) + 2
        }
    }

    /// Draws `lines` in a bordered box centred in the body; returns the first inner row.
    @discardableResult
    func drawBox(_ canvas: inout Canvas, _ layout: Layout, lines: [(String, Style)], minWidth: Int = 40) -> Int {
        // Wide enough for the longest line, but kept narrow enough to read at a glance.
        let longest = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
        let inner = min(layout.size.columns - 6, max(minWidth, min(longest, 64)))
        let wrapped = lines.flatMap { line in wrap(line.0, width: inner).map { ($0, line.1) } }
        let height = min(wrapped.count + 2, layout.bodyHeight)
        let top = layout.bodyTop + max(0, (layout.bodyHeight - height) / 2)
        let left = (layout.size.columns - inner - 4) / 2
        let horizontal = String(repeating: "─", count: inner + 2)
        canvas.put("┌" + horizontal + "┐", row: top, column: left)
        for (offset, line) in wrapped.prefix(height - 2).enumerated() {
            canvas.put("│ ", row: top + 1 + offset, column: left)
            canvas.put(line.0, row: top + 1 + offset, column: left + 2, style: line.1, width: inner)
            canvas.put(" │", row: top + 1 + offset, column: left + inner + 2)
        }
        canvas.put("└" + horizontal + "┘", row: top + height - 1, column: left)
        return top + 1
    }

    /// "HH:MM:SS" in the store's time zone.
    var clockText: String { timeText(wall, seconds: true) }

    func timeText(_ date: Date, seconds: Bool = false) -> String {
        words.time(date, in: store.timeZone, seconds: seconds)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// "1:05" or "0:07": minutes and seconds of a duration, rounded down.
    static func clockDuration(_ duration: Duration) -> String {
        let seconds = max(0, Int(duration.components.seconds))
        return "\(seconds / 60):\(twoDigits(seconds % 60))"
    }

    var spinnerGlyph: String {
        let frames = unicode ? ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] : ["|", "/", "-", "\\"]
        return frames[spinner % frames.count]
    }

    /// An amount in the cashier's language, with the CNY equivalent (both with ISO codes) when a
    /// rate is known and the store is not in CNY.
    func amountWithCNY(_ money: Money) -> String {
        guard money.currency != .cny, let rate, let cny = rate.cnyEquivalent(of: money) else { return amount(money) }
        return words.amount(money, about: cny)
    }

    /// An amount in the cashier's language ("HKD 12.30", "HK$12.30").
    func amount(_ money: Money) -> String { words.amount(money) }

    /// A wallet's name in the cashier's language.
    func wallet(_ wallet: Wallet) -> String { words.wallet(wallet) }
}

/// Splits `text` into lines of at most `width` display columns, at spaces where it can.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        var lineWidth = 0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = DisplayWidth.of(word)
            if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 { lines.append(line) }
            // A word longer than a line is cut where it must be.
            while wordWidth > width {
                var head = ""
                var headWidth = 0
                for character in word {
                    let w = DisplayWidth.of(character)
                    if headWidth + w > width { break }
                    head.append(character)
                    headWidth += w
                }
                if head.isEmpty, let first = word.first { head = String(first) }
                lines.append(head)
                word.removeFirst(head.count)
                wordWidth = DisplayWidth.of(word)
            }
            line = word
            lineWidth = wordWidth
        }
        lines.append(line)
    }
    return lines
}
