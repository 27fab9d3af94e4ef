import Testing
import Signing

@Suite("SHA1withRSA keys, signing and verifying")
struct RSATests {
    /// A Paymax-style request string to sign (method, uri, query, nonce, timestamp, Authorization, body).
    static let message = "post\n/v1/charges\n\n0f1e2d3c4b5a69788796a5b4c3d2e1f0\n1714000000000\nsk_test_example\n{\"amount\":\"10.23\",\"order_no\":\"S240501120000ABCDEF\"}"

    /// Made on the command line from the test key and `message` saved to msg.txt:
    /// `openssl dgst -sha1 -sign key.pem msg.txt | base64 -w0`
    static let opensslSignature = "RYLUi9qPeJb0XseR05eUhk5iSgzC5J5jsI9U377evLxUnXjb6fKVaK6VywN9PcpSYI+f2IRUoD2GNlHDSmkUjibvkrpgu/Kf1grjx/tZEr2B5+K0OjSa+5PsVoAGUhfhOTI4UpnN2ZILyuKp+ae8cLvrJsg6tLu/jFx4Jkj8fx5paS2cmqqJPshCQzJkmJPGsstBqkxkHpjo5eBkDbk8HrZb5HHedYh1yGjLkwIloqm4vL0TSdiEL6ePD9U34lojIlk53l0s3ndcejP0vUT3bu1AB3mEa9bKYnWi8ETVqo7vd4Tfs4Syk/Lek0eU5Nd0uWg44wCbx+Ds+zf7k0ZkJg=="

    @Test(arguments: [testOnlyPrivateKeyPKCS8, testOnlyPrivateKeyPKCS1])
    func privateKeyFormatsLoad(pem: String) throws {
        let key = try RSAPrivateKey(pem: pem)
        #expect(key.bits == 2048)
    }

    @Test(arguments: [testOnlyPublicKeySPKI, testOnlyPublicKeyPKCS1])
    func publicKeyFormatsLoad(pem: String) throws {
        let key = try RSAPublicKey(pem: pem)
        #expect(key.bits == 2048)
    }

    @Test func bareBase64KeysLoadAsPortalsPrintThem() throws {
        // Gateways' portals show keys as one base64 line without the BEGIN/END lines.
        func bare(_ pem: String) -> String {
            pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        }
        let privateKey = try RSAPrivateKey(pem: bare(testOnlyPrivateKeyPKCS8))
        let publicKey = try RSAPublicKey(pem: bare(testOnlyPublicKeySPKI))
        let signature = try privateKey.signSHA1Base64(Self.message)
        #expect(publicKey.verifySHA1(base64Signature: signature, text: Self.message))
    }

    @Test func signatureMatchesOpenSSLCommandLine() throws {
        // PKCS#1 v1.5 is deterministic: the same key and message give the same bytes.
        for pem in [testOnlyPrivateKeyPKCS8, testOnlyPrivateKeyPKCS1] {
            let key = try RSAPrivateKey(pem: pem)
            #expect(try key.signSHA1Base64(Self.message) == Self.opensslSignature)
        }
    }

    @Test func verifiesTheCommandLineSignature() throws {
        for pem in [testOnlyPublicKeySPKI, testOnlyPublicKeyPKCS1] {
            let key = try RSAPublicKey(pem: pem)
            #expect(key.verifySHA1(base64Signature: Self.opensslSignature, text: Self.message))
        }
    }

    @Test func signThenVerifyRoundTrip() throws {
        let privateKey = try RSAPrivateKey(pem: testOnlyPrivateKeyPKCS1)
        let publicKey = try RSAPublicKey(pem: testOnlyPublicKeySPKI)
        let body = Array("{\"notifyNo\":\"evt_123\",\"status\":\"SUCCEED\"}".utf8)
        let signature = try privateKey.signSHA1(body)
        #expect(signature.count == 256)
        #expect(publicKey.verifySHA1(signature: signature, message: body))
        #expect(publicKey.verifySHA1(base64Signature: Base64.encode(signature), message: body))
    }

    @Test func tamperedMessageFails() throws {
        let key = try RSAPublicKey(pem: testOnlyPublicKeySPKI)
        let tampered = Self.message.replacing("10.23", with: "10.24")
        #expect(tampered != Self.message)
        #expect(!key.verifySHA1(base64Signature: Self.opensslSignature, text: tampered))
    }

    @Test func tamperedSignatureFails() throws {
        let key = try RSAPublicKey(pem: testOnlyPublicKeySPKI)
        var signature = try #require(Base64.decode(Self.opensslSignature))
        signature[100] ^= 0x01
        #expect(!key.verifySHA1(signature: signature, message: Array(Self.message.utf8)))
        #expect(!key.verifySHA1(signature: Array(signature.dropLast()), message: Array(Self.message.utf8)))
        #expect(!key.verifySHA1(signature: [], message: Array(Self.message.utf8)))
        #expect(!key.verifySHA1(base64Signature: "not base64!", text: Self.message))
        // The untouched signature still verifies afterwards: failures leave no stale state.
        #expect(key.verifySHA1(base64Signature: Self.opensslSignature, text: Self.message))
    }

    @Test func wrongKeyFails() throws {
        let other = try RSAPublicKey(pem: testOnlyUnrelatedPublicKey)
        #expect(other.bits == 1024)
        #expect(!other.verifySHA1(base64Signature: Self.opensslSignature, text: Self.message))
    }

    @Test func badPEMIsATypedError() {
        let truncated = String(testOnlyPrivateKeyPKCS8.prefix(200)) + "\n-----END PRIVATE KEY-----"
        let cases = ["", "hello", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----", truncated]
        for text in cases {
            #expect(throws: SigningError.self) { try RSAPrivateKey(pem: text) }
            #expect(throws: SigningError.self) { try RSAPublicKey(pem: text) }
        }
    }

    @Test func errorDescriptionCarriesNoKeyMaterial() throws {
        let lines = testOnlyPrivateKeyPKCS8.split(separator: "\n")
        // The first half of the key: enough base64 to be recognisable, too little to decode.
        let broken = lines.prefix(lines.count / 2).joined(separator: "\n") + "\n-----END PRIVATE KEY-----"
        do {
            _ = try RSAPrivateKey(pem: broken)
            Issue.record("a truncated key loaded")
        } catch {
            let description = error.description
            for line in lines.dropFirst().prefix(5) {
                #expect(!description.contains(String(line.prefix(12))))
            }
        }
    }

    @Test func encryptedKeyIsRefusedWithoutPrompting() {
        #expect(throws: SigningError.self) { try RSAPrivateKey(pem: testOnlyEncryptedPrivateKey) }
    }

    @Test func nonRSAKeyIsRefused() {
        #expect(throws: SigningError.self) { try RSAPrivateKey(pem: testOnlyECPrivateKey) }
    }

    @Test func privateKeyTextIsNotAPublicKeyMix() throws {
        // A public key cannot sign: loading a public PEM as private must fail.
        #expect(throws: SigningError.self) { try RSAPrivateKey(pem: testOnlyPublicKeySPKI) }
    }

    @Test func keysWorkFromManyTasksAtOnce() async throws {
        let privateKey = try RSAPrivateKey(pem: testOnlyPrivateKeyPKCS8)
        let publicKey = try RSAPublicKey(pem: testOnlyPublicKeySPKI)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let text = "order \(index)"
                    let signature = try privateKey.signSHA1Base64(text)
                    return publicKey.verifySHA1(base64Signature: signature, text: text)
                        && !publicKey.verifySHA1(base64Signature: signature, text: text + ".")
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 })
    }
}
