import Foundation

/// The printed result: one row per measurement (what, N, median, p95, p99, unit), and notes for
/// figures that are not a distribution.
struct Table {
    private var lines: [(what: String, cells: [String]?)] = []

    mutating func row(_ what: String, _ samples: Samples, unit: String) {
        if samples.count == 0 {
            note("\(what): not measured")
            return
        }
        lines.append((what, [String(samples.count), Self.format(samples.median), Self.format(samples.p95), Self.format(samples.p99), unit]))
    }

    mutating func note(_ text: String) { lines.append((text, nil)) }

    var rendered: String {
        let header = ["n", "p50", "p95", "p99", ""]
        let rows = lines.compactMap(\.cells) + [header]
        let labelWidth = lines.filter { $0.cells != nil }.map(\.what.count).max() ?? 0
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        func line(_ what: String, _ cells: [String]) -> String {
            let padded = cells.indices.map { column in
                let cell = cells[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == cells.count - 1 ? cell : pad + cell  // numbers right, unit left
            }
            return what.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + padded.joined(separator: "  ")
        }
        var output = [line("", header)]
        for entry in lines {
            output.append(entry.cells.map { line(entry.what, $0) } ?? entry.what)
        }
        return output.joined(separator: "\n")
    }

    /// Three significant figures at most, never in exponent form.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let decimals = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3
        let scale = [1.0, 10, 100, 1000][decimals]
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if decimals == 0, text.hasSuffix(".0") { text.removeLast(2) }
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < decimals { text += String(repeating: "0", count: decimals - have) }
        }
        return text
    }
}
