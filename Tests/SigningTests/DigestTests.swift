import Testing
import Signing

// Expected values from python3: hashlib.sha256(...).hexdigest(), and for "abc" also
// `echo -n abc | openssl dgst -sha256`.
@Suite("SHA-256 digest")
struct DigestTests {
    @Test func emptyInput() {
        #expect(Digest.sha256Hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abc() {
        #expect(Digest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256(Array("abc".utf8)).count == 32)
    }

    @Test func utf8Text() {
        #expect(Digest.sha256Hex("收银 HKD 12.30".utf8) == "8842e1fdd465a9a6bf30a4442e1484ce9e3e5d19a6004c8f58fc5dae0afd2830")
    }

    @Test func hexStringCase() {
        #expect(Digest.hexString([0x00, 0xAB, 0x0F]) == "00ab0f")
        #expect(Digest.hexString([0x00, 0xAB, 0x0F], uppercase: true) == "00AB0F")
    }
}

// Expected values from python3: hmac.new(key, msg, hashlib.sha256).hexdigest(); the fox
// example also from `openssl dgst -sha256 -hmac key`.
@Suite("HMAC-SHA256")
struct HMACTests {
    @Test func quickBrownFox() throws {
        let mac = try HMAC.sha256(key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(Digest.hexString(mac) == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }

    @Test func emptyKeyAndMessage() throws {
        let mac = try HMAC.sha256(key: [], message: [])
        #expect(Digest.hexString(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func keyLongerThanBlockIsHashedFirst() throws {
        let mac = try HMAC.sha256(key: Array(repeating: UInt8(ascii: "k"), count: 100),
                                  message: Array("long key is hashed first".utf8))
        #expect(Digest.hexString(mac) == "e6846d1dfeffd9d746548119bfdf361f444d1b04f849d3863c8404f14c24d099")
    }

    @Test func differentKeyGivesDifferentMAC() throws {
        let message = Array("amount=1023".utf8)
        #expect(try HMAC.sha256(key: Array("a".utf8), message: message)
                != HMAC.sha256(key: Array("b".utf8), message: message))
    }
}

// Expected values from RFC 1321's test suite (also `printf abc | md5sum`).
@Suite("MD5 digest")
struct MD5DigestTests {
    @Test func rfc1321Examples() {
        #expect(Digest.md5HexLowercased([UInt8]()) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Digest.md5HexLowercased("abc".utf8) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(Digest.md5HexUppercased("abc".utf8) == "900150983CD24FB0D6963F7D28E17F72")
    }
}
