internal import Signing

/// The aggregator's MD5 signature (seed §4), in its two forms.
///
/// The secret joins the parameters as `secret=<secret>`; all are sorted by name in byte order,
/// joined as `k=v&k=v` without URL encoding, hashed with MD5, written in lower case. Requests
/// leave empty values out; callbacks keep them (`attach=` is signed). `sign` never signs itself.
public enum AggregatorSignature {
    /// Whether empty values take part.
    public enum Form: Sendable {
        /// What the till sends (unified order, check_order): empty values left out.
        case request
        /// What the aggregator posts to `notify_url`: empty values kept.
        case callback
    }

    /// The string that is hashed, secret included. For tests written from the seed's own
    /// example strings; never log it.
    public static func signingString(_ parameters: [String: String], secret: String, form: Form) -> String {
        var all = parameters.filter { $0.key != "sign" && (form == .callback || !$0.value.isEmpty) }
        all["secret"] = secret
        return all
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { "\($0.key)=\($0.value)" }
            .joined(separator: "&")
    }

    /// The signature of `parameters`: 32 lower-case hex digits.
    public static func sign(_ parameters: [String: String], secret: String, form: Form) -> String {
        Digest.md5HexLowercased(signingString(parameters, secret: secret, form: form).utf8)
    }

    /// True when `parameters["sign"]` is present and is the signature of the rest, compared in
    /// constant time (a sender's upper-case hex is accepted: the digits are what count).
    public static func verify(_ parameters: [String: String], secret: String, form: Form) -> Bool {
        guard let given = parameters["sign"], !given.isEmpty else { return false }
        return constantTimeEquals(given.lowercased(), sign(parameters, secret: secret, form: form))
    }
}
