import HTTPTransport

/// `application/x-www-form-urlencoded` as CloudPay's requests and notifications use it:
/// `FormEncoding`'s rules, bytes in and out, fields in the order CloudPay signs them.
public enum CloudPayForm {
    /// `name=value&…` in the order given.
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        Array(FormEncoding.encode(fields.map { (name: $0.0, value: $0.1) }).utf8)
    }

    /// The fields of a form body; nil when it is not a form (see `FormEncoding.decode`).
    public static func decode(_ body: [UInt8]) -> [String: String]? {
        FormEncoding.decode(body)
    }
}
