internal import CCrypto

/// Password-based key derivation (PBKDF2, RFC 8018) for secrets typed by people,
/// such as the manager PIN, stored only as a salted, slow hash.
public enum PBKDF2 {
    /// PBKDF2-HMAC-SHA256 of `password` with `salt` over `iterations` rounds, `length` bytes long.
    ///
    /// Throws `.invalidParameter` for fewer than one iteration or a length outside 1...1024.
    public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int,
                              length: Int = 32) throws(SigningError) -> [UInt8] {
        guard iterations >= 1, iterations <= Int(Int32.max) else {
            throw .invalidParameter("PBKDF2 iteration count must be at least 1")
        }
        guard (1...1024).contains(length) else {
            throw .invalidParameter("PBKDF2 output length must be 1 to 1024 bytes")
        }
        guard password.count <= Int(Int32.max), salt.count <= Int(Int32.max) else {
            throw .invalidParameter("PBKDF2 input longer than 2 GiB")
        }
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBytes { pass in
            salt.withUnsafeBytes { saltBuffer in
                PKCS5_PBKDF2_HMAC(pass.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(password.count),
                                  saltBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(salt.count),
                                  Int32(iterations), EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw OpenSSLError.failure("derive a key with PBKDF2") }
        return out
    }
}
