internal import CCrypto

/// An RSA public key that checks SHA1withRSA (PKCS#1 v1.5) signatures, such as a gateway's
/// signature on its answers and notifications.
///
/// Owns its OpenSSL key and frees it on deinit. Safe to share between tasks: verifying reads
/// the key only, each call with its own OpenSSL context.
public final class RSAPublicKey: @unchecked Sendable {
    private let key: OpaquePointer

    /// Reads a public key from PEM text, `BEGIN PUBLIC KEY` (SPKI) or `BEGIN RSA PUBLIC KEY`
    /// (PKCS#1), or from bare base64 DER of either. Throws `.invalidKey` or `.notRSA`.
    public init(pem text: String) throws(SigningError) {
        key = try RSAKeyDecoder.decode(text, selection: Int32(shroff_select_public_key), kind: "RSA public key")
    }

    deinit { EVP_PKEY_free(key) }

    /// The key's modulus size in bits.
    public var bits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// True only when `signature` is a valid SHA1withRSA signature of `message` under this key.
    /// Any failure (wrong length, tampered bytes, internal error) is `false`.
    public func verifySHA1(signature: [UInt8], message: [UInt8]) -> Bool {
        // A failed verify leaves errors queued; clear them so they are not blamed on a later call.
        defer { ERR_clear_error() }
        guard !signature.isEmpty, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha1(), nil, key) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { input in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, input.baseAddress, input.count)
            }
        }
        return result == 1
    }

    /// True only when `base64Signature` decodes and is a valid SHA1withRSA signature of `message`.
    public func verifySHA1(base64Signature: String, message: [UInt8]) -> Bool {
        guard let signature = Base64.decode(base64Signature) else { return false }
        return verifySHA1(signature: signature, message: message)
    }

    /// True only when `base64Signature` is a valid SHA1withRSA signature of the UTF-8 bytes of `text`.
    public func verifySHA1(base64Signature: String, text: String) -> Bool {
        verifySHA1(base64Signature: base64Signature, message: Array(text.utf8))
    }
}
