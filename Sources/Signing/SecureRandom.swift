internal import CCrypto

/// Unpredictable bytes from OpenSSL's CSPRNG, for salts, nonces and keys.
public enum SecureRandom {
    /// `count` random bytes. Throws when the generator is not seeded (it never hands out weak bytes).
    public static func bytes(count: Int) throws(SigningError) -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else {
            throw .invalidParameter("random byte count must be 0 to 2^31-1")
        }
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        guard RAND_bytes(&out, Int32(count)) == 1 else { throw OpenSSLError.failure("produce random bytes") }
        return out
    }
}

extension SecureRandom {
    /// A token for a link a stranger may see but must not guess: `byteCount` random bytes
    /// (16, 128 bits, by default) in base64url without padding (RFC 4648 §5), so it goes into a
    /// URL path as it is.
    public static func urlToken(byteCount: Int = 16) throws(SigningError) -> String {
        let text = Base64.encode(try bytes(count: byteCount))
        return String(text.prefix { $0 != "=" }.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
