import Testing
@testable import TerminalUI

// ncurses' own key code values (curses.h), written out so the table is checked against the
// terminal library's numbers rather than against itself.
private let keyDown: Int32 = 0o402, keyUp: Int32 = 0o403, keyLeft: Int32 = 0o404, keyRight: Int32 = 0o405
private let keyHome: Int32 = 0o406, keyBackspace: Int32 = 0o407, keyF0: Int32 = 0o410
private let keyDelete: Int32 = 0o512, keyNextPage: Int32 = 0o522, keyPreviousPage: Int32 = 0o523
private let keyEnter: Int32 = 0o527, keyEnd: Int32 = 0o550, keyResize: Int32 = 0o632, keyMouse: Int32 = 0o631

@Test(arguments: [
    (CursesInput.character(10), Key.enter), (.character(13), .enter), (.keyCode(keyEnter), .enter),
    (.character(127), .backspace), (.character(8), .backspace), (.keyCode(keyBackspace), .backspace),
    (.character(9), .tab), (.character(27), .escape), (.keyCode(keyDelete), .delete),
    (.keyCode(keyUp), .up), (.keyCode(keyDown), .down), (.keyCode(keyLeft), .left), (.keyCode(keyRight), .right),
    (.keyCode(keyPreviousPage), .pageUp), (.keyCode(keyNextPage), .pageDown),
    (.keyCode(keyHome), .home), (.keyCode(keyEnd), .end), (.keyCode(keyResize), .resize),
])
func terminalKeysMapToTillKeys(input: CursesInput, expected: Key) {
    #expect(Key.fromCurses(input) == expected)
}

@Test func functionKeysOneToTwelve() {
    for number in 1...12 {
        #expect(Key.fromCurses(.keyCode(keyF0 + Int32(number))) == .function(number))
    }
    // F0 and F13+ have no binding on the till.
    #expect(Key.fromCurses(.keyCode(keyF0)) == nil)
    #expect(Key.fromCurses(.keyCode(keyF0 + 13)) == nil)
}

@Test func printableCharactersIncludingWideOnesAreCharacters() {
    #expect(Key.fromCurses(.character(0x37)) == .character("7"))
    #expect(Key.fromCurses(.character(0x2E)) == .character("."))
    #expect(Key.fromCurses(.character(0x71)) == .character("q"))
    #expect(Key.fromCurses(.character(0x00E9)) == .character("é"))
    #expect(Key.fromCurses(.character(0x4E2D)) == .character("中"))
}

@Test func keysTheTillHasNoUseForAreDropped() {
    #expect(Key.fromCurses(.character(1)) == nil)   // Ctrl-A
    #expect(Key.fromCurses(.character(0)) == nil)
    #expect(Key.fromCurses(.keyCode(keyMouse)) == nil)
    #expect(Key.fromCurses(.character(0xD800)) == nil)  // a lone surrogate is no character
}
