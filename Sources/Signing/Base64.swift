internal import CCrypto

/// Standard base64 (RFC 4648, with padding), the form RSA signatures travel in.
public enum Base64 {
    /// `bytes` as base64 with `=` padding and no line breaks.
    public static func encode(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        var out = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4 + 1)
        let written = bytes.withUnsafeBufferPointer { input in
            EVP_EncodeBlock(&out, input.baseAddress, Int32(input.count))
        }
        return String(decoding: out.prefix(Int(written)), as: UTF8.self)
    }

    /// The bytes of base64 `text`; whitespace and line breaks are ignored.
    /// `nil` when the text is not base64 (bad characters, bad length, misplaced padding).
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 })
        guard input.count % 4 == 0, input.count <= Int(Int32.max) else { return nil }
        guard !input.isEmpty else { return [] }
        let padding = input.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
        // "=" only at the very end, at most two of them.
        guard padding <= 2, !input.dropLast(padding).contains(UInt8(ascii: "=")) else { return nil }
        var out = [UInt8](repeating: 0, count: input.count / 4 * 3)
        let written = input.withUnsafeBufferPointer { buffer in
            EVP_DecodeBlock(&out, buffer.baseAddress, Int32(buffer.count))
        }
        guard written >= 0 else { return nil }
        // EVP_DecodeBlock counts the padding as zero bytes; drop them.
        return Array(out.prefix(Int(written) - padding))
    }
}
