internal import CCrypto

/// Turns key text into an `EVP_PKEY`: one place for the PEM and DER decoders of both key kinds.
enum RSAKeyDecoder {
    /// Decodes PEM text (any of PKCS#1, PKCS#8, SPKI) or, without BEGIN/END lines, base64 DER as
    /// gateways print keys in their portals. The caller owns the returned key.
    ///
    /// Encrypted keys are refused rather than prompting on the terminal for a passphrase.
    static func decode(_ text: String, selection: Int32, kind: String) throws(SigningError) -> OpaquePointer {
        let isPEM = text.contains("-----BEGIN")
        let bytes: [UInt8]
        if isPEM {
            bytes = Array(text.utf8)
        } else {
            guard let der = Base64.decode(text), !der.isEmpty else {
                throw .invalidKey(kind: kind, reason: "neither PEM nor base64")
            }
            bytes = der
        }
        var key: OpaquePointer? = nil
        guard let context = shroff_rsa_decoder(&key, isPEM ? 1 : 0, selection) else {
            throw OpenSSLError.failure("prepare a key decoder")
        }
        defer { OSSL_DECODER_CTX_free(context) }
        // An empty passphrase makes an encrypted key fail to decrypt instead of asking the tty.
        guard OSSL_DECODER_CTX_set_passphrase(context, "", 0) == 1 else {
            throw OpenSSLError.failure("prepare a key decoder")
        }
        let decoded = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            var remaining = buffer.count
            return OSSL_DECODER_from_data(context, &cursor, &remaining)
        }
        guard decoded == 1, let key else {
            let reason = OpenSSLError.takeReason()
            if let key { EVP_PKEY_free(key) }
            throw .invalidKey(kind: kind, reason: reason == "no detail" ? "not an RSA key in a known format" : reason)
        }
        guard EVP_PKEY_is_a(key, "RSA") == 1 else {
            EVP_PKEY_free(key)
            ERR_clear_error()
            throw .notRSA(kind: kind)
        }
        ERR_clear_error()
        return key
    }
}
