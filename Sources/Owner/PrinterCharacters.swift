import CheckoutCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A receipt printer's character set: what ESC/POS selects before the text, and the bytes it
/// takes for each character.
public enum PrinterCharacters: Sendable, Equatable {
    /// Code page 437, printable ASCII only: any printer prints it (accents dropped).
    case ascii
    /// Traditional Chinese printers (Hong Kong, Taiwan): Big5 in the printer's Chinese mode.
    case big5
    /// Simplified Chinese printers: GB18030 in the printer's Chinese mode.
    case gb18030
    /// Printers that take UTF-8 (ESC/POS's encode system 2).
    case utf8

    /// The ESC/POS commands that put the printer in this character set, after ESC @.
    var selection: [UInt8] {
        switch self {
        case .ascii: [0x1B, 0x74, 0x00]  // ESC t 0: code page 437
        case .big5, .gb18030: [0x1C, 0x26]  // FS &: Chinese (double-byte) mode
        case .utf8: [0x1C, 0x28, 0x43, 0x02, 0x00, 0x30, 0x02]  // FS ( C: character encode system UTF-8
        }
    }
}

/// Converts text to a multi-byte character set through iconv, one character at a time, so a
/// character the set lacks is replaced visibly ("？" for a wide one, "?" otherwise) and the
/// rest still prints: nothing is dropped silently.
///
/// Owns its iconv descriptor from `init` to `deinit`; use from one thread at a time.
final class CharacterConverter {
    private let descriptor: iconv_t

    /// nil when this machine's iconv does not know `name` ("BIG5", "GB18030").
    init?(to name: String) {
        let descriptor = iconv_open(name, "UTF-8")
        guard let descriptor, Int(bitPattern: descriptor) != -1 else { return nil }
        self.descriptor = descriptor
    }

    deinit { iconv_close(descriptor) }

    func convert(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            if let converted = convert(character: character) {
                bytes += converted
            } else {
                let standIn: Character = DisplayWidth.of(character) == 2 ? "？" : "?"
                bytes += convert(character: standIn) ?? [UInt8(ascii: "?")]
            }
        }
        return bytes
    }

    private func convert(character: Character) -> [UInt8]? {
        var input = Array(String(character).utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                // Back to the initial shift state, whatever happened.
                _ = iconv(descriptor, nil, nil, nil, nil)
                guard result != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}
