/// Turns a scanner's key events into the lines it typed, with the US keymap.
///
/// Promises: a line is returned only when Enter, keypad Enter or Tab is pressed after at least
/// one character; key repeats (value 2) and releases type nothing; Shift applies while either
/// Shift key is held; a line longer than `maximumLength` is dropped whole (`overflowed` says
/// so) rather than cut, so a truncated code is never taken for a scan.
public struct KeyEventDecoder: Sendable {
    /// Longer than any symbol the till reads (payment codes are 16–24 digits).
    public let maximumLength: Int
    private var line = ""
    private var shiftsHeld: Set<UInt16> = []
    private var overflowing = false

    public init(maximumLength: Int = 256) {
        self.maximumLength = maximumLength
    }

    /// What one event completed.
    public enum Output: Sendable, Equatable {
        /// A whole line: holds a payment code, so never show or log it.
        case line(String)
        /// A line longer than `maximumLength` ended and was dropped.
        case overflowed
    }

    /// Takes one event; returns the line it completed, if any.
    public mutating func feed(_ event: InputEvent) -> Output? {
        guard event.type == InputEvent.keyType else { return nil }
        if event.code == USKeymap.leftShift || event.code == USKeymap.rightShift {
            if event.value == InputEvent.pressed { shiftsHeld.insert(event.code) }
            if event.value == InputEvent.released { shiftsHeld.remove(event.code) }
            return nil
        }
        guard event.value == InputEvent.pressed else { return nil }
        if [USKeymap.enter, USKeymap.keypadEnter, USKeymap.tab].contains(event.code) {
            defer { line = ""; overflowing = false }
            if overflowing { return .overflowed }
            return line.isEmpty ? nil : .line(line)
        }
        guard let pair = USKeymap.characters[event.code], !overflowing else { return nil }
        line.append(shiftsHeld.isEmpty ? pair.0 : pair.1)
        if line.count > maximumLength {
            line = ""
            overflowing = true
        }
        return nil
    }
}
