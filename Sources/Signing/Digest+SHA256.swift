import CCrypto

extension Digest {
    /// SHA-256 of `bytes`: 32 bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, EVP_sha256(), nil)
        }
        // As with MD5: a built-in digest fails only when memory runs out.
        precondition(ok == 1, "EVP_Digest(SHA-256) failed")
        return Array(out.prefix(Int(length)))
    }

    /// SHA-256 of `bytes` as 64 lower-case hex digits.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(sha256(Array(bytes)), uppercase: false)
    }

    /// `bytes` as hex digits, two per byte.
    public static func hexString(_ bytes: [UInt8], uppercase: Bool = false) -> String {
        hex(bytes, uppercase: uppercase)
    }
}
