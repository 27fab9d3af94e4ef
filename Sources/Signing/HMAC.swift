internal import CCrypto

/// Keyed message authentication (RFC 2104) over OpenSSL.
public enum HMAC {
    /// HMAC-SHA256 of `message` under `key`: 32 bytes. Any key length is allowed, empty included.
    public static func sha256(key: [UInt8], message: [UInt8]) throws(SigningError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard key.count <= Int(Int32.max) else { throw .invalidParameter("HMAC key longer than 2 GiB") }
        // A valid pointer even for an empty key: in OpenSSL's HMAC API a null key means "keep the previous key".
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            message.withUnsafeBytes { input in
                CCrypto.HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                             input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                             &out, &length)
            }
        }
        guard result != nil else { throw OpenSSLError.failure("compute HMAC-SHA256") }
        return Array(out.prefix(Int(length)))
    }
}
