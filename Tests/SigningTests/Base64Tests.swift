import Testing
import Signing

// Test vectors from RFC 4648 section 10.
@Suite("Base64")
struct Base64Tests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func binaryRoundTrip() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }

    @Test func lineBreaksAreIgnored() {
        #expect(Base64.decode("Zm9v\nYmFy\r\n") == Array("foobar".utf8))
    }

    @Test(arguments: ["Zm9", "Zm9v!A==", "Z=9v", "Zg===", "====", "Zm=v"])
    func malformedIsNil(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
