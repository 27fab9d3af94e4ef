import CheckoutCore
import Foundation

/// Turns a receipt into the byte stream an ESC/POS thermal printer understands.
///
/// What it promises: the printer is reset first (ESC @), then set to the character set asked
/// for (`PrinterCharacters`). In ASCII (code page 437, ESC t 0) only printable ASCII and line
/// feeds follow, so any printer prints it legibly (accents are dropped, other characters become
/// `?`); in Big5 or GB18030 the printer's Chinese mode is selected (FS &) and the text sent in
/// that set, a character it lacks replaced by a visible `？` (and when this machine cannot
/// convert to the set at all, nothing is printed and the error says why); in UTF-8 the text
/// goes as it is.
/// Emphasized lines are bold (ESC E); the paper is fed past the cutter (ESC d) and cut (GS V).
public enum ESCPOS {
    static let initialize: [UInt8] = [0x1B, 0x40]
    static let boldOn: [UInt8] = [0x1B, 0x45, 0x01]
    static let boldOff: [UInt8] = [0x1B, 0x45, 0x00]
    /// Feed 4 lines, so the last line clears the cutter.
    static let feed: [UInt8] = [0x1B, 0x64, 0x04]
    /// GS V 1: partial cut (leaves a hinge, so the receipt does not fall).
    static let cut: [UInt8] = [0x1D, 0x56, 0x01]

    public static func encode(_ receipt: Receipt, in characters: PrinterCharacters = .ascii) throws(OwnerError) -> [UInt8] {
        try encode(receipt, in: characters, converter: CharacterConverter.init(to:))
    }

    /// `converter` opens the conversion to a Chinese set by its iconv name; nil when this
    /// machine has none (a glibc without its gconv modules).
    static func encode(_ receipt: Receipt, in characters: PrinterCharacters,
                       converter: (String) -> CharacterConverter?) throws(OwnerError) -> [UInt8] {
        let text: (String) -> [UInt8]
        switch characters {
        case .ascii: text = asciiSafe
        case .utf8: text = { Array($0.utf8) }
        case .big5, .big5HKSCS, .gb18030:
            let name = switch characters {
            case .big5HKSCS: "BIG5-HKSCS"
            case .gb18030: "GB18030"
            default: "BIG5"
            }
            // Falling back to ASCII would print every Chinese character as ??.
            guard let converter = converter(name) else { throw .printerCharactersMissing(set: name) }
            text = converter.convert
        }
        var bytes = initialize + characters.selection
        let emphasized = Set(receipt.emphasized)
        for (index, line) in receipt.lines.enumerated() {
            let bold = emphasized.contains(index)
            if bold { bytes += boldOn }
            bytes += text(line)
            if bold { bytes += boldOff }
            bytes.append(0x0A)
        }
        return bytes + feed + cut
    }

    /// Printable ASCII for `text`: accents stripped ("café" → "cafe"), anything else `?`, one
    /// per character (a wide character takes two columns on screen, so `??` keeps alignment).
    static func asciiSafe(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F {
                bytes.append(ascii)
                continue
            }
            let folded = String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
            if folded.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }), !folded.isEmpty {
                bytes += Array(folded.utf8)
            } else {
                bytes += Array(repeating: UInt8(ascii: "?"), count: max(1, DisplayWidth.of(character)))
            }
        }
        return bytes
    }
}
