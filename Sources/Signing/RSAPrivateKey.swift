internal import CCrypto

/// An RSA private key that signs with SHA1withRSA (PKCS#1 v1.5), as Paymax requires.
///
/// Owns its OpenSSL key and frees it on deinit. The key is never written back out: no
/// description or error shows any of it. Safe to share between tasks: signing reads the key
/// only, each call with its own OpenSSL context.
public final class RSAPrivateKey: @unchecked Sendable {
    let key: OpaquePointer

    /// Takes ownership of an OpenSSL key already checked to be an RSA key pair.
    init(owning key: OpaquePointer) { self.key = key }

    /// Reads a private key from PEM text (PKCS#1 "RSA PRIVATE" or PKCS#8 "PRIVATE" blocks)
    /// or from bare base64 DER of either. Throws `.invalidKey` for anything else,
    /// encrypted keys included, and `.notRSA` for other key types.
    public init(pem text: String) throws(SigningError) {
        key = try RSAKeyDecoder.decode(text, selection: Int32(shroff_select_key_pair), kind: "RSA private key")
    }

    deinit { EVP_PKEY_free(key) }

    /// The key's modulus size in bits (2048 for a typical gateway key).
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// The SHA1withRSA (PKCS#1 v1.5) signature of `message`.
    public func signSHA1(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.failure("create a signing context") }
        defer { EVP_MD_CTX_free(context) }
        // RSA keys sign with PKCS#1 v1.5 padding unless told otherwise.
        guard EVP_DigestSignInit(context, nil, EVP_sha1(), nil, key) == 1 else {
            throw OpenSSLError.failure("start an RSA signature")
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, nil, &length, input.baseAddress, input.count)
        }
        guard sized == 1 else { throw OpenSSLError.failure("size an RSA signature") }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress, input.count)
        }
        guard signed == 1 else { throw OpenSSLError.failure("make an RSA signature") }
        return Array(signature.prefix(length))
    }

    /// The SHA1withRSA signature of `message` in base64, as sent in a `sign` header.
    public func signSHA1Base64(_ message: [UInt8]) throws(SigningError) -> String {
        Base64.encode(try signSHA1(message))
    }

    /// The SHA1withRSA signature of the UTF-8 bytes of `text`, in base64.
    public func signSHA1Base64(_ text: String) throws(SigningError) -> String {
        try signSHA1Base64(Array(text.utf8))
    }
}
