import CheckoutCore
import Foundation
import Words

/// Lays receipt lines out to a fixed number of display columns.
struct ReceiptLayout {
    let width: Int
    let words: Words
    private(set) var lines: [String] = []
    private(set) var emphasized: [Int] = []
    /// Labels take this many columns, so values line up when they fit beside them.
    private let labelColumns = 12

    init(width: Int, words: Words) {
        self.width = width
        self.words = words
    }

    mutating func header(storeName: String, training: Bool) {
        for line in Self.wrap(storeName, width: width) { center(line) }
        if training { center(words("receipt.training"), emphasized: true); center(words("receipt.not_real")) }
        rule()
    }

    mutating func footer(training: Bool) {
        if training { center(words("receipt.training"), emphasized: true) }
        center(words("receipt.thanks"))
    }

    mutating func rule() { lines.append(String(repeating: "-", count: width)) }

    mutating func left(_ text: String) {
        for line in Self.wrap(text, width: width) { lines.append(line) }
    }

    mutating func center(_ text: String, emphasized: Bool = false) {
        let pad = max(0, (width - DisplayWidth.of(text)) / 2)
        if emphasized { self.emphasized.append(lines.count) }
        lines.append(String(repeating: " ", count: pad) + text)
    }

    /// "Label       value" on one line when it fits, the value right-aligned; otherwise the
    /// label alone, then the value right-aligned on the lines below (wrapped when longer).
    mutating func pair(_ label: String, _ value: String, emphasized: Bool = false) {
        let labelWidth = max(labelColumns, DisplayWidth.of(label) + 1)
        let valueWidth = DisplayWidth.of(value)
        if labelWidth + valueWidth <= width {
            if emphasized { self.emphasized.append(lines.count) }
            lines.append(label + String(repeating: " ", count: width - DisplayWidth.of(label) - valueWidth) + value)
            return
        }
        if emphasized { self.emphasized.append(lines.count) }
        lines.append(label)
        for line in Self.wrap(value, width: width - 2) {
            if emphasized { self.emphasized.append(lines.count) }
            lines.append(String(repeating: " ", count: width - DisplayWidth.of(line)) + line)
        }
    }

    /// Splits text into lines of at most `width` display columns, at spaces where it can,
    /// inside words that are longer than a line.
    static func wrap(_ text: String, width: Int) -> [String] {
        var result: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = DisplayWidth.of(word)
            if currentWidth > 0 && currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
                continue
            }
            if currentWidth > 0 { result.append(current) }
            current = ""
            currentWidth = 0
            while wordWidth > width {
                var head = ""
                var headWidth = 0
                var rest = Substring(word)
                while let character = rest.first, headWidth + DisplayWidth.of(character) <= width {
                    head.append(character)
                    headWidth += DisplayWidth.of(character)
                    rest = rest.dropFirst()
                }
                if head.isEmpty { break }  // a character wider than the line: keep it whole
                result.append(head)
                word = String(rest)
                wordWidth = DisplayWidth.of(word)
            }
            current = word
            currentWidth = wordWidth
        }
        if currentWidth > 0 || result.isEmpty { result.append(current) }
        return result
    }

    /// "2026-11-22 14:03:05" (or the language's own form of the date) in `timeZone`.
    func timestamp(_ date: Date, in timeZone: TimeZone) -> String {
        words("format.date_time", ["date": words.date(date, in: timeZone), "time": words.time(date, in: timeZone, seconds: true)])
    }
}
