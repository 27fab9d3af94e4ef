/// One key the cashier (or a keyboard-wedge scanner) pressed, as the till understands it.
///
/// Independent of ncurses: the driver maps terminal key codes to these, and screens and the
/// scan detector only ever see `Key`.
public enum Key: Sendable, Equatable {
    /// A printable character, including digits, letters and the decimal point.
    case character(Character)
    case enter, tab, backspace, delete, escape
    case up, down, left, right, pageUp, pageDown, home, end
    /// F1…F12.
    case function(Int)
    /// The terminal changed size; the driver reports the new size separately.
    case resize
}

/// A key with the moment it arrived, on a monotonic clock (time since the till started).
///
/// The scan detector tells a scanner from a person by the gaps between these instants.
public struct KeyStroke: Sendable, Equatable {
    public var key: Key
    /// Monotonic time of arrival; never compared with wall-clock dates.
    public var at: Duration

    public init(key: Key, at: Duration) {
        self.key = key
        self.at = at
    }
}

extension Key {
    /// The digit this key types, when it is one of 0–9 (ASCII only: a scanner types ASCII).
    var asciiDigit: Character? {
        guard case .character(let character) = self, character.isASCII, character.isNumber else { return nil }
        return character
    }

    /// Enter and Tab end a scanner's burst.
    var endsScan: Bool { self == .enter || self == .tab }
}
