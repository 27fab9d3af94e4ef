/// The columns text takes in a fixed-width grid: a terminal's character cells and a receipt
/// roll's columns both count this way, so the screen and the receipts line up alike.
///
/// What it promises: wide East Asian characters and emoji take 2 columns; combining marks,
/// format and control characters take none; every other character takes 1. A character is
/// judged by its first scalar, and a text's width is the sum of its characters'.
public enum DisplayWidth {
    /// Display columns `text` takes.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Display columns one character takes.
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        return isWide(value) ? 2 : 1
    }

    // East Asian Wide and Fullwidth blocks: enough for store names and subjects in Chinese,
    // Japanese or Korean, and for emoji.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
