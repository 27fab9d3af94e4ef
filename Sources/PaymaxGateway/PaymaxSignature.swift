import Foundation
public import Signing

/// The strings Paymax signs (notes: paymax-signing.md; Paymax's SDKs, not the seed's "sign the
/// body"), and the checks every answer and notification must pass.
public enum PaymaxSignature {
    /// `method\nuri\nquery\nnonce\ntimestamp\nAuthorization\nbody`: what a request's `sign` covers.
    /// `uri` is the path from `/v1/` on; `query` has no `?`; a GET's body is empty.
    public static func requestText(method: String, uri: String, query: String, nonce: String, timestamp: String,
                            authorization: String, body: [UInt8]) -> [UInt8] {
        Array("\(method.lowercased())\n\(uri)\n\(query)\n\(nonce)\n\(timestamp)\n\(authorization)\n".utf8) + body
    }

    /// `nonce\ntimestamp\nAuthorization\nbody`: what an answer's `sign` covers.
    public static func answerText(nonce: String, timestamp: String, authorization: String, body: [UInt8]) -> [UInt8] {
        Array("\(nonce)\n\(timestamp)\n\(authorization)\n".utf8) + body
    }

    /// 32 random hex digits.
    public static func nonce() throws(SigningError) -> String {
        try SecureRandom.bytes(count: 16).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// How far an answer's timestamp may be from the till's clock, either way (the SDKs' rule).
    public static let freshness: Int64 = 120_000
}
