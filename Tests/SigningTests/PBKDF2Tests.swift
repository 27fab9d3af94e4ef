import Testing
import Signing

// Expected values from python3: hashlib.pbkdf2_hmac("sha256", password, salt, iterations[, length]).hex()
@Suite("PBKDF2-HMAC-SHA256 and secure random bytes")
struct PBKDF2Tests {
    @Test func oneIteration() throws {
        let key = try PBKDF2.sha256(password: Array("2468".utf8), salt: Array("shroff-salt-0001".utf8), iterations: 1)
        #expect(Digest.hexString(key) == "3a8790fc7e43b5e54455ca51c191208306a7688127109456ab06f28261c0c0d6")
    }

    @Test func hundredThousandIterations() throws {
        let key = try PBKDF2.sha256(password: Array("2468".utf8), salt: Array("shroff-salt-0001".utf8), iterations: 100_000)
        #expect(Digest.hexString(key) == "3e0606b5f55230d2cf92d237ba033a12bfc765c2a3fda9a3891164325556f3b8")
    }

    @Test func customLength() throws {
        let key = try PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, length: 20)
        #expect(Digest.hexString(key) == "c5e478d59288c841aa530db6845c4c8d962893a0")
    }

    @Test func saltChangesTheHash() throws {
        let pin = Array("2468".utf8)
        #expect(try PBKDF2.sha256(password: pin, salt: [1], iterations: 10)
                != PBKDF2.sha256(password: pin, salt: [2], iterations: 10))
    }

    @Test func zeroIterationsIsATypedError() {
        #expect(throws: SigningError.self) {
            try PBKDF2.sha256(password: Array("2468".utf8), salt: [1, 2, 3], iterations: 0)
        }
        #expect(throws: SigningError.self) {
            try PBKDF2.sha256(password: Array("2468".utf8), salt: [1, 2, 3], iterations: 1, length: 0)
        }
    }

    @Test func errorDescriptionDoesNotCarryThePassword() {
        do {
            _ = try PBKDF2.sha256(password: Array("9753".utf8), salt: [], iterations: -5)
            Issue.record("expected a SigningError")
        } catch {
            #expect(!error.description.contains("9753"))
            #expect(!error.description.contains("-5"))
        }
    }

    @Test func randomBytesHaveTheAskedLengthAndDiffer() throws {
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(second.count == 32)
        // Two equal 256-bit draws would mean the generator is broken (chance 2^-256).
        #expect(first != second)
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
        #expect(throws: SigningError.self) { try SecureRandom.bytes(count: -1) }
    }
}
