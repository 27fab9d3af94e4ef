internal import CCrypto

/// Message digests over OpenSSL's EVP interface.
public enum Digest {
    /// MD5 of `bytes` as 32 upper-case hex digits, the form Wantu signs with.
    public static func md5HexUppercased(_ bytes: some Sequence<UInt8>) -> String {
        hex(md5(Array(bytes)), uppercase: true)
    }

    /// MD5 of `bytes` as 32 lower-case hex digits, the form the unified-order aggregator signs with.
    public static func md5HexLowercased(_ bytes: some Sequence<UInt8>) -> String {
        hex(md5(Array(bytes)), uppercase: false)
    }

    /// MD5 of `bytes`: 16 bytes.
    public static func md5(_ bytes: [UInt8]) -> [UInt8] {
        evpDigest(bytes, EVP_md5(), name: "MD5")
    }

    /// SHA-256 of `bytes`: 32 bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        evpDigest(bytes, EVP_sha256(), name: "SHA-256")
    }

    /// SHA-256 of `bytes` as 64 lower-case hex digits.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(sha256(Array(bytes)), uppercase: false)
    }

    /// `bytes` as hex digits, two per byte.
    public static func hexString(_ bytes: [UInt8], uppercase: Bool = false) -> String {
        hex(bytes, uppercase: uppercase)
    }

    /// `bytes` through the built-in EVP digest `type`.
    private static func evpDigest(_ bytes: [UInt8], _ type: OpaquePointer?, name: String) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, type, nil)
        }
        // EVP_Digest with a built-in digest fails only when memory runs out.
        precondition(ok == 1, "EVP_Digest(\(name)) failed")
        return Array(out.prefix(Int(length)))
    }

    static func hex(_ bytes: [UInt8], uppercase: Bool) -> String {
        let digits = Array(uppercase ? "0123456789ABCDEF".utf8 : "0123456789abcdef".utf8)
        var chars = [UInt8]()
        chars.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            chars.append(digits[Int(byte >> 4)])
            chars.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: chars, as: UTF8.self)
    }
}

/// Compares two strings in time that depends only on their lengths, so a forged
/// signature cannot be guessed byte by byte from response times.
public func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let a = Array(lhs.utf8), b = Array(rhs.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
