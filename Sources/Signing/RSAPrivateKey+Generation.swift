internal import CCrypto

extension RSAPrivateKey {
    /// A new random key pair, for a simulator that signs as a gateway does. Throws
    /// `.cryptoFailure` when OpenSSL cannot make one.
    public static func generate(bits: Int = 2048) throws(SigningError) -> RSAPrivateKey {
        guard bits >= 1024, let key = shroff_rsa_generate(UInt32(bits)) else {
            throw OpenSSLError.failure("generate an RSA key")
        }
        return RSAPrivateKey(owning: key)
    }

    /// The private key as PKCS#8 PEM. Only a simulator's own key is ever written out: the
    /// caller stores it in a file readable by its owner alone.
    public func pkcs8PEM() throws(SigningError) -> String {
        try Self.pem(key, privatePart: true)
    }

    /// The public half as SPKI PEM ("BEGIN PUBLIC KEY"), to give to whoever verifies.
    public func publicKeyPEM() throws(SigningError) -> String {
        try Self.pem(key, privatePart: false)
    }

    /// The public half, as a verifier.
    public func publicKey() throws(SigningError) -> RSAPublicKey {
        try RSAPublicKey(pem: publicKeyPEM())
    }

    /// True when this key's signature over a fixed text verifies with its own public half:
    /// a key that loads but cannot sign is refused before the first sale, not at it.
    public func passesSelfTest() -> Bool {
        let probe = Array("shroff key self-test".utf8)
        guard let signature = try? signSHA1(probe), let publicKey = try? publicKey() else { return false }
        return publicKey.verifySHA1(signature: signature, message: probe)
    }

    private static func pem(_ key: OpaquePointer, privatePart: Bool) throws(SigningError) -> String {
        guard let bio = shroff_pem_bio(key, privatePart ? 1 : 0) else { throw OpenSSLError.failure("write a PEM key") }
        defer { BIO_free(bio) }
        let length = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: length)
        let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(length)) }
        guard read == Int32(length) else { throw OpenSSLError.failure("read a PEM key") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
