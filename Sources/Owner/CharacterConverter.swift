import CheckoutCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts text to a multi-byte character set through iconv, one character at a time, so a
/// character the set lacks is replaced visibly ("？" for a wide one, "?" otherwise) and the
/// rest still prints: nothing is dropped silently.
///
/// Owns its iconv descriptor from `init` to `deinit`; use from one thread at a time.
final class CharacterConverter {
    private let descriptor: iconv_t

    /// nil when this machine's iconv does not know `name` ("BIG5", "BIG5-HKSCS", "GB18030").
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
                // Big5-HKSCS holds back a letter that may take a combining mark (Ê, Ê̄): the flush
                // writes it and returns to the initial state. Resetting instead would drop it.
                let flushed = iconv(descriptor, nil, nil, &outPointer, &outLeft)
                guard result != -1, flushed != -1, inLeft == 0 else {
                    _ = iconv(descriptor, nil, nil, nil, nil)
                    return nil
                }
                return outBuffer.count - outLeft
            }
        }
        guard let written else { return nil }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}
