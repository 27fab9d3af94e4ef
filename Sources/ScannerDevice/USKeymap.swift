internal import CInput

/// The US keyboard layout a scanner in keyboard mode types with: evdev key codes to characters.
///
/// Covers digits (top row and keypad), letters, the space and the US punctuation keys, each
/// with and without Shift. Enter, keypad Enter and Tab end a line; other keys type nothing.
enum USKeymap {
    static let leftShift = UInt16(KEY_LEFTSHIFT), rightShift = UInt16(KEY_RIGHTSHIFT)
    static let enter = UInt16(KEY_ENTER), keypadEnter = UInt16(KEY_KPENTER), tab = UInt16(KEY_TAB)

    /// (plain, shifted) for each key that types a character.
    static let characters: [UInt16: (Character, Character)] = {
        var map: [UInt16: (Character, Character)] = [:]
        let rows: [(Int32, String, String)] = [
            (KEY_1, "1234567890-=", "!@#$%^&*()_+"),
            (KEY_Q, "qwertyuiop[]", "QWERTYUIOP{}"),
            (KEY_A, "asdfghjkl;'`", "ASDFGHJKL:\"~"),
            (KEY_BACKSLASH, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
        ]
        for (first, plain, shifted) in rows {
            for (offset, pair) in zip(plain, shifted).enumerated() { map[UInt16(first) + UInt16(offset)] = pair }
        }
        map[UInt16(KEY_SPACE)] = (" ", " ")
        let keypad: [(Int32, Character)] = [
            (KEY_KP0, "0"), (KEY_KP1, "1"), (KEY_KP2, "2"), (KEY_KP3, "3"), (KEY_KP4, "4"), (KEY_KP5, "5"),
            (KEY_KP6, "6"), (KEY_KP7, "7"), (KEY_KP8, "8"), (KEY_KP9, "9"), (KEY_KPDOT, "."), (KEY_KPMINUS, "-"),
            (KEY_KPPLUS, "+"), (KEY_KPASTERISK, "*"), (KEY_KPSLASH, "/"),
        ]
        for (code, character) in keypad { map[UInt16(code)] = (character, character) }
        return map
    }()

    /// The key (and whether Shift is needed) that types `character`; keypad keys are never chosen.
    static func key(for character: Character) -> (UInt16, Bool)? {
        let keypad = Set([KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9,
                          KEY_KPDOT, KEY_KPMINUS, KEY_KPPLUS, KEY_KPASTERISK, KEY_KPSLASH].map { UInt16($0) })
        for (code, pair) in characters.sorted(by: { $0.key < $1.key }) where !keypad.contains(code) {
            if pair.0 == character { return (code, false) }
            if pair.1 == character { return (code, true) }
        }
        return nil
    }
}
