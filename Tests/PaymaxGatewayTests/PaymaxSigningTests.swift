import Foundation
@testable import PaymaxGateway
import Signing
import Testing

/// The request signature against the worked example in Paymax's own documentation.
@Suite struct PaymaxSigningTests {
    /// Every value below is from notes/paymax-signing.md, which takes them from Paymax's API
    /// document (section 签名和验签: method, uri, query, nonce, timestamp, Authorization, body)
    /// and its Java SDK (`SignConfig.java`: the published test-only merchant private key),
    /// with the `sign` header the document shows for them.
    enum PublishedVector {
        static let method = "post"
        static let uri = "/v1/charges"
        static let query = "a=1&b=2&c=3"
        static let nonce = "049e73d6e0744a7491cda2a0a537b90d"
        static let timestamp = "1466399895704"
        static let authorization = "5b97b3138041437587646b37f52dc7f7"
        static let body = #"{"amount":1,"app":"app_49b0f1dd741646d2b277524de2785836","body":"Your Body","description":"description","subject":"Your Subject","channel":"alipay_app","client_ip":"127.0.0.1","order_no":"d0a4877e-39fa-4704-a3e1-ca484a7f1363","metadata":{"metadata_key1":"metadata_value1","metadata_key2":"metadata_value2"},"currency":"CNY"}"#
        static let privateKey = """
            -----BEGIN PRIVATE KEY-----
            MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBANTf5n0fstv7rQWN
            uZFmNjLm58t7+pRrxbyi8EzkzQmB2Bgv8SpabOIqezXYJM9HsNWuPgfadkkEBOAa
            PqYnzPl7ca8jGLTrdooaVEA9M7wNgYSxuxSDldtymk2BpDiBhX7Z++M8lCq5QW9d
            MK8pV5XtZ6vfXYtkiPROK1vbGi7DAgMBAAECgYEAm8gejIKeCY5sWBwXKOh70VRZ
            XPglsGgOFLXI1Py7b7GtykWLX0s9U2VzNTwv8+Cq8DTLAERHO7fNOZL7Nez6emKW
            e2XBvCEWsN4xP5TFwBlnJvHSEh7my7GmwzVLlyyRUT+didEnfgw0yzxSjUamQ6Ct
            +dlMn44741oPELJHn8ECQQDxaFrq42FwpwOUc+yxtxPkcbVA6VfPermt3YwJfYz7
            EskDmQV0dFLSUfGxbG4QHKh5hRkvnzOaOWZyWwVVKzItAkEA4b4DUaGm0cezVZGY
            ZDcRo7TlNrIzqrTjjIcuYZFm2+90imzkyrjkesFrC/yR7XEE5t+n3uUcrNPsMunb
            9eWqrwJBAKWzM3S2zlM80EA9seHqAEV1pyv+/r7zRjAJOe3pt7M+matWhWAB2Dd0
            96kI/CMjCKEgssD1Tb42WBN2Vpq3I6ECQBJiH/EQ4f3pbmBEiA15MpWLULNAldaL
            /o/eHlfRuHemq23uaj9cCTc58xa5zcRxVL3cbtZHACvO4khPJRuERX8CQGyW2X5W
            qEVkWFjHcUoSzQNyPzISaX2eu6AU2DWTHNxhdE16XKlNLjFan3QFBt40cY8Uc+SX
            tf5nL6TAF3xDfqA=
            -----END PRIVATE KEY-----
            """
        static let sign = "BkBa8OLkU2KzRIrWA4swP5WCSouVwXHFAUM6NlJlgDGbMQYKKvVveE30pXppPcesRLPPlpTctFdCt+nY4czX79efg19FDEizq94d+HAsE/3dtzUMiiFyxOWFH50FGO+gJZDAEpYQRCdJlOs6D380ta+y0wRfUhlfgX1+RXtcDnA="
    }

    @Test func theRequestSignatureOfPaymaxsDocumentationComesOutByteForByte() throws {
        let v = PublishedVector.self
        let text = PaymaxSignature.requestText(method: v.method, uri: v.uri, query: v.query, nonce: v.nonce, timestamp: v.timestamp,
                                               authorization: v.authorization, body: Array(v.body.utf8))
        let key = try RSAPrivateKey(pem: v.privateKey)
        #expect(try key.signSHA1Base64(text) == v.sign)
    }

    @Test func signingTheBodyAloneAsTheSeedSaysDoesNotGiveThePublishedSignature() throws {
        // Why the composed string: the seed's "sign the request body" is refused by Paymax.
        let key = try RSAPrivateKey(pem: PublishedVector.privateKey)
        #expect(try key.signSHA1Base64(Array(PublishedVector.body.utf8)) != PublishedVector.sign)
    }

    @Test func aGetSignsAnEmptyBodyAfterTheAuthorizationLine() {
        let text = PaymaxSignature.requestText(method: "GET", uri: "/v1/charges/ch_1", query: "", nonce: "n", timestamp: "1",
                                               authorization: "sk", body: [])
        #expect(String(decoding: text, as: UTF8.self) == "get\n/v1/charges/ch_1\n\nn\n1\nsk\n")
    }

    @Test func aNonceIs32HexDigitsAndNeverRepeats() throws {
        let first = try PaymaxSignature.nonce(), second = try PaymaxSignature.nonce()
        #expect(first.count == 32 && first.allSatisfy(\.isHexDigit))
        #expect(first != second)
    }

    @Test func aKeyMadeForTheSandboxSignsAndItsPublicHalfVerifies() throws {
        let key = try RSAPrivateKey.generate(bits: 2048)
        let reloaded = try RSAPrivateKey(pem: key.pkcs8PEM())
        let publicKey = try RSAPublicKey(pem: key.publicKeyPEM())
        let signature = try reloaded.signSHA1Base64("webhook body")
        #expect(publicKey.verifySHA1(base64Signature: signature, text: "webhook body"))
        #expect(!publicKey.verifySHA1(base64Signature: signature, text: "webhook body!"))
        #expect(key.passesSelfTest())
        #expect(try key.pkcs8PEM().hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }
}
