import Foundation

/// `application/x-www-form-urlencoded` as CloudPay's requests and notifications use it.
public enum CloudPayForm {
    /// Characters sent as they are; everything else is percent-encoded (a space as %20).
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    /// `name=value&…` in the order given.
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        let text = fields.map { name, value in
            "\(escape(name))=\(escape(value))"
        }.joined(separator: "&")
        return Array(text.utf8)
    }

    /// The fields of a form body; nil when it is not UTF-8, a pair has no `=`, an escape is
    /// broken, or a name comes twice (which value was signed would be ambiguous).
    public static func decode(_ body: [UInt8]) -> [String: String]? {
        guard let text = String(validating: body, as: UTF8.self), text.contains("=") else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2,
                  let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  fields[name] == nil else { return nil }
            fields[name] = value
        }
        return fields
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
