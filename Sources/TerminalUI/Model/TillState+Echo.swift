/// What a typed digit can change on the screens that draw digits at once.
struct DigitUndo: Sendable {
    var screen: TillState.Screen
    var sale: SaleEntry
    var message: Notice?
}

extension TillState {
    /// True where a scan is taken (the sale and result screens, no payment running): digits are
    /// then drawn the moment they are typed, and a scan takes back the ones that were its own.
    /// Elsewhere the scan detector holds digits until it knows they were typed.
    public var echoesDigits: Bool { checkout == nil && (screen == .sale || screen == .result) }

    /// Before a digit on a screen that draws digits at once: remember the screen as it was.
    /// Any other key ends the run; a scan can only claim digits of the current run.
    mutating func rememberBeforeDigit(_ key: Key) {
        guard key.asciiDigit != nil, echoesDigits else {
            beforeDigits.removeAll()
            return
        }
        beforeDigits.append(DigitUndo(screen: screen, sale: sale, message: message))
        if beforeDigits.count > 32 { beforeDigits.removeFirst() }
    }

    /// Undoes the last `count` digits, which turned out to be the start of a scan.
    mutating func takeBackDigits(_ count: Int) {
        defer { beforeDigits.removeAll() }
        guard count > 0, let undo = beforeDigits.suffix(count).first else { return }
        screen = undo.screen
        sale = undo.sale
        message = undo.message
    }
}
