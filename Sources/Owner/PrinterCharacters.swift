/// A receipt printer's character set: what ESC/POS selects before the text, and the bytes it
/// takes for each character.
public enum PrinterCharacters: Sendable, Equatable {
    /// Code page 437, printable ASCII only: any printer prints it (accents dropped).
    case ascii
    /// Traditional Chinese printers (Hong Kong, Taiwan): Big5 in the printer's Chinese mode.
    case big5
    /// Hong Kong printers with the HKSCS characters (嘅, 啱): Big5-HKSCS in the Chinese mode.
    case big5HKSCS
    /// Simplified Chinese printers: GB18030 in the printer's Chinese mode.
    case gb18030
    /// Printers that take UTF-8 (ESC/POS's encode system 2).
    case utf8

    /// The ESC/POS commands that put the printer in this character set, after ESC @.
    var selection: [UInt8] {
        switch self {
        case .ascii: [0x1B, 0x74, 0x00]  // ESC t 0: code page 437
        case .big5, .big5HKSCS, .gb18030: [0x1C, 0x26]  // FS &: Chinese (double-byte) mode
        case .utf8: [0x1C, 0x28, 0x43, 0x02, 0x00, 0x30, 0x02]  // FS ( C: character encode system UTF-8
        }
    }
}
