internal import Signing

/// CloudPay's signatures (seed: cloudpay-api.md): the fields' values concatenated in a fixed
/// order — no names, no separators — hashed with MD5, the lower-case hex of that followed by
/// the app secret hashed again: `md5(md5(v1 + v2 + …) + appsecret)`, 32 lower-case hex digits.
///
/// The order is CloudPay's and differs by message, so each message names its fields here once.
public enum CloudPaySignature {
    /// The fields of a payment request, in signing order: `appkey + price + type + out_order_id + custom`.
    public static let createFields = ["appkey", "price", "type", "out_order_id", "custom"]
    /// The fields of a payment notification, in signing order:
    /// `appkey + order_id + out_order_id + price + realprice + type + paytime + extend`.
    /// `appkey` is not posted: it is the merchant's own, taken from the account.
    public static let notificationFields = ["appkey", "order_id", "out_order_id", "price", "realprice", "type", "paytime", "extend"]

    /// The signature of `values` taken in `order` (a missing value counts as empty).
    public static func sign(_ values: [String: String], order: [String], secret: String) -> String {
        let joined = order.map { values[$0] ?? "" }.joined()
        return md5Hex(md5Hex(joined) + secret)
    }

    /// True when `given` is the signature of `values` in `order`; compared without regard to
    /// the hex digits' case and in constant time.
    public static func verify(_ given: String, _ values: [String: String], order: [String], secret: String) -> Bool {
        constantTimeEquals(given.lowercased(), sign(values, order: order, secret: secret))
    }

    static func md5Hex(_ text: String) -> String {
        Digest.hexString(Digest.md5(Array(text.utf8)))
    }
}
