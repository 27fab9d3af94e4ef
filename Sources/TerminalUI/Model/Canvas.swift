import CheckoutCore

/// A grid of cells that screens draw into, then turn into a `Frame`.
///
/// Writes are clipped to the grid, so no screen can make a row too long; a wide character
/// that would straddle the edge becomes a space. In ASCII mode every character is mapped to
/// an ASCII stand-in as it is written.
struct Canvas {
    private struct Cell {
        var character: Character
        var style: Style
        /// The right half of a wide character: drawn by the cell before it.
        var continuation = false
    }

    let size: TerminalSize
    let unicode: Bool
    private var cells: [[Cell]]
    var cursor: (row: Int, column: Int)?

    init(size: TerminalSize, unicode: Bool) {
        self.size = size
        self.unicode = unicode
        let blank = Cell(character: " ", style: .normal)
        cells = Array(repeating: Array(repeating: blank, count: max(0, size.columns)), count: max(0, size.rows))
    }

    /// Writes `text` from (`row`, `column`), at most `width` columns; returns the column after it.
    @discardableResult
    mutating func put(_ text: String, row: Int, column: Int, style: Style = .normal, width: Int? = nil) -> Int {
        guard row >= 0, row < size.rows else { return column }
        let limit = min(size.columns, column + (width ?? size.columns))
        var x = column
        for raw in text {
            let character = unicode ? raw : Canvas.ascii(raw)
            let w = DisplayWidth.of(character)
            if w == 0 { continue }
            if x + w > limit { break }
            if x >= 0 {
                clear(row: row, column: x)
                cells[row][x] = Cell(character: character, style: style)
                if w == 2 {
                    clear(row: row, column: x + 1)
                    cells[row][x + 1] = Cell(character: " ", style: style, continuation: true)
                }
            }
            x += w
        }
        return x
    }

    /// Fills `width` columns of `row` from `column` with spaces in `style`.
    mutating func fill(row: Int, column: Int = 0, width: Int? = nil, style: Style) {
        let count = width ?? (size.columns - column)
        put(String(repeating: " ", count: max(0, count)), row: row, column: column, style: style, width: count)
    }

    /// Keeps wide characters whole: overwriting either half blanks the other.
    private mutating func clear(row: Int, column: Int) {
        guard column >= 0, column < size.columns else { return }
        if cells[row][column].continuation, column > 0 {
            cells[row][column - 1] = Cell(character: " ", style: cells[row][column - 1].style)
        } else if column + 1 < size.columns, cells[row][column + 1].continuation {
            cells[row][column + 1] = Cell(character: " ", style: cells[row][column + 1].style)
        }
    }

    var frame: Frame {
        let rows = cells.map { row -> [Span] in
            var spans: [Span] = []
            for cell in row where !cell.continuation {
                if let last = spans.last, last.style == cell.style {
                    spans[spans.count - 1].text.append(cell.character)
                } else {
                    spans.append(Span(String(cell.character), cell.style))
                }
            }
            return spans
        }
        return Frame(size: size, rows: rows, cursor: cursor)
    }

    /// An ASCII stand-in for box drawing, blocks and punctuation; "?" for anything else.
    static func ascii(_ character: Character) -> Character {
        if character.isASCII { return character }
        switch character {
        case "─", "━", "═", "—", "–": return "-"
        case "│", "┃", "║": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼", "╔", "╗", "╚", "╝": return "+"
        case "•", "·", "●": return "*"
        case "×": return "x"
        case "▀", "▄", "█": return "#"
        case "…": return "."
        case "←": return "<"
        case "→": return ">"
        case "↑", "↓": return "^"
        default: return "?"
        }
    }
}
