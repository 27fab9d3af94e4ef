import Foundation
import Signing
import Testing

@Suite("Signing: URL tokens")
struct URLTokenTests {
    @Test func aTokenIs128RandomBitsInBase64URLAndNeverRepeats() throws {
        var seen = Set<String>()
        var characters = Set<Character>()
        for _ in 0..<2000 {
            let token = try SecureRandom.urlToken()
            // 22 base64url characters with no padding: 132 bits of text for 128 random bits.
            #expect(token.count == 22 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(token)")
            // Its bytes decode back: all 16 came from the generator.
            let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "=="
            #expect(Base64.decode(standard)?.count == 16)
            seen.insert(token)
            characters.formUnion(token)
        }
        #expect(seen.count == 2000)
        // All 64 symbols turn up: none of the alphabet is left unused.
        #expect(characters.count == 64)
        #expect(try SecureRandom.urlToken(byteCount: 24).count == 32)
    }
}
