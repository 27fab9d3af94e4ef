/// What a piece of text means on screen. The driver maps each to colours and attributes
/// (and drops colour under NO_COLOR); every meaning is also spelled out in the text itself.
public enum Style: Sendable, Equatable {
    case normal, bold, dim, reverse, title
    /// The TRAINING banner.
    case training
    case ok, warning, alert
    /// QR modules, quiet zone included: in colour white glyphs (the light modules) on black,
    /// without colour the terminal's foreground (the dark modules); see `QRInk`.
    case qr
    case footer
}

/// A run of text in one style, within one row.
public struct Span: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// A terminal's size in character cells.
public struct TerminalSize: Sendable, Equatable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The smallest terminal the till draws its screens in.
    public static let minimum = TerminalSize(columns: 80, rows: 24)

    /// True when both sides are at least `other`'s.
    public func covers(_ other: TerminalSize) -> Bool { columns >= other.columns && rows >= other.rows }
}

/// One whole screen, ready to draw: a pure value, compared and tested as text.
///
/// Promises: exactly `size.rows` rows, each exactly `size.columns` display columns wide
/// (as `DisplayWidth` counts them: wide characters two), with no control characters.
public struct Frame: Sendable, Equatable {
    public var size: TerminalSize
    public var rows: [[Span]]
    /// Where the terminal's cursor goes (a field being typed in), or nil to hide it.
    public var cursor: (row: Int, column: Int)?

    public init(size: TerminalSize, rows: [[Span]], cursor: (row: Int, column: Int)? = nil) {
        self.size = size
        self.rows = rows
        self.cursor = cursor
    }

    /// The rows' text joined by newlines, styles dropped: what a cashier reads.
    public var text: String { lines.joined(separator: "\n") }

    /// Each row's text, styles dropped.
    public var lines: [String] { rows.map { $0.map(\.text).joined() } }

    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.size == rhs.size && lhs.rows == rhs.rows
            && lhs.cursor?.row == rhs.cursor?.row && lhs.cursor?.column == rhs.cursor?.column
    }
}
