import Foundation

/// `application/x-www-form-urlencoded`: the bodies and query strings of gateways that speak
/// forms rather than JSON, and the notifications some of them post.
public enum FormEncoding {
    /// `pairs` as `name=value&name=value`, in the order given, every byte outside letters,
    /// digits and `-._~` percent-encoded (a space as `%20`).
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    /// `fields` in the order of their names (byte order), so the same fields always give the same text.
    public static func encode(_ fields: [String: String]) -> String {
        encode(fields.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }.map { (name: $0.key, value: $0.value) })
    }

    /// Reads a form body or query string. Nil when it is not UTF-8, holds no `=` at all, a
    /// part has no `=`, an escape is broken, or a name comes twice (which of two values a
    /// signature vouched for would be anyone's guess). `+` is a space, as browsers and PHP write it.
    public static func decode(_ bytes: [UInt8]) -> [String: String]? {
        guard let text = String(validating: bytes, as: UTF8.self), text.contains("=") else { return nil }
        var result: [String: String] = [:]
        for part in text.split(separator: "&") {
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2,
                  let name = String(halves[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = String(halves[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  result[name] == nil else { return nil }
            result[name] = value
        }
        return result
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    private static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
