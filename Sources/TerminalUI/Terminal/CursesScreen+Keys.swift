internal import CNcursesw

/// One read from `wget_wch`: a character, or a key code (when it answered KEY_CODE_YES).
enum CursesInput: Equatable {
    case character(UInt32)
    case keyCode(Int32)
}

extension Key {
    /// The till's key for what ncurses read; nil for keys the till has no use for (other
    /// control characters, mouse events), which are dropped.
    ///
    /// Enter arrives as 10 or 13 (or KEY_ENTER on the keypad), Backspace as 127, 8 or
    /// KEY_BACKSPACE depending on the terminal: all are accepted.
    static func fromCurses(_ input: CursesInput) -> Key? {
        switch input {
        case .character(let value):
            switch value {
            case 10, 13: return .enter
            case 9: return .tab
            case 8, 127: return .backspace
            case 27: return .escape
            case 0..<32: return nil
            default:
                guard let scalar = Unicode.Scalar(value) else { return nil }
                return .character(Character(scalar))
            }
        case .keyCode(let code):
            if code > KEY_F0 && code <= Int32(shroff_key_f(12)) { return .function(Int(code - KEY_F0)) }
            switch code {
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
    }
}
