import Testing
@testable import TerminalUI

private let small = TerminalSize(columns: 80, rows: 24)

/// A frame whose rows say what they are; `changes` replaces chosen rows' text or style.
private func frame(size: TerminalSize = small, changes: [Int: Span] = [:]) -> Frame {
    let rows = (0..<size.rows).map { row -> [Span] in
        let base = Span("row \(row)".padding(toLength: size.columns, withPad: " ", startingAt: 0), .normal)
        return [changes[row] ?? base]
    }
    var frame = Frame(size: size, rows: rows)
    frame.cursor = nil
    return frame
}

@Test func theFirstFrameIsDrawnWhole() {
    #expect(FrameDiff.rowsToRewrite(from: nil, to: frame()) == Array(0..<24))
}

@Test func anUnchangedFrameRewritesNothing() {
    #expect(FrameDiff.rowsToRewrite(from: frame(), to: frame()).isEmpty)
}

@Test func onlyRowsWhoseTextChangedAreRewritten() {
    // Given a tick that moved the spinner on row 7 and the clock on row 0
    let spinner = Span("Waiting ⠙".padding(toLength: 80, withPad: " ", startingAt: 0), .normal)
    let clock = Span("12:00:01".padding(toLength: 80, withPad: " ", startingAt: 0), .title)
    let next = frame(changes: [0: clock, 7: spinner])
    #expect(FrameDiff.rowsToRewrite(from: frame(), to: next) == [0, 7])
}

@Test func aStyleChangeAloneIsAChange() {
    // The same text turning into an alert must be redrawn, or the colour would lie.
    let same = Span("row 3".padding(toLength: 80, withPad: " ", startingAt: 0), .alert)
    #expect(FrameDiff.rowsToRewrite(from: frame(), to: frame(changes: [3: same])) == [3])
}

@Test func aResizedFrameIsDrawnWhole() {
    let bigger = TerminalSize(columns: 100, rows: 30)
    #expect(FrameDiff.rowsToRewrite(from: frame(), to: frame(size: bigger)) == Array(0..<30))
}
