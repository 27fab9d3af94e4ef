import Signing

/// Wantu's signature (seed §1.3): parameters sorted by name in ASCII order, empty values left
/// out, joined as `k=v&k=v`, then `&key=<merchant key>` appended, MD5, upper case.
/// The `sign` parameter itself never takes part.
public enum WantuSignature {
    /// The string that is hashed, without the key. Exposed for tests and for support staff
    /// comparing with Wantu's own tools; it never contains the key.
    public static func canonicalString(_ parameters: [String: String]) -> String {
        parameters
            .filter { $0.key != "sign" && !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }

    /// The signature of `parameters` under `key`: 32 upper-case hex digits.
    public static func sign(_ parameters: [String: String], key: String) -> String {
        let canonical = canonicalString(parameters)
        let text = canonical.isEmpty ? "key=\(key)" : canonical + "&key=\(key)"
        return Digest.md5HexUppercased(text.utf8)
    }

    /// True when `parameters["sign"]` is present and equals the signature of the rest.
    public static func verify(_ parameters: [String: String], key: String) -> Bool {
        guard let given = parameters["sign"], !given.isEmpty else { return false }
        return constantTimeEquals(given.uppercased(), sign(parameters, key: key))
    }
}
