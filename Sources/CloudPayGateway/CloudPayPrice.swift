import CheckoutCore

/// CloudPay's `price` and `realprice`: yuan with exactly two decimals ("10.23"), built from
/// and read into integer fen. This is the only place a CloudPay amount crosses into `Money`.
public enum CloudPayPrice {
    /// "12.30" for 1230 fen; nil when the amount is not in CNY.
    public static func text(_ money: Money) -> String? {
        guard money.currency == CloudPayAccount.currency else { return nil }
        return money.decimalString
    }

    /// The amount a price as CloudPay writes it stands for; nil unless it has exactly the form
    /// `decimalString` gives: digits without a leading zero (a lone `0` before the point
    /// aside), a point, and exactly two digits ("0.82", "10.23"), at most 10,000,000 yuan.
    /// Nothing else is read: CloudPay's signature joins the fields without separators, so a
    /// looser form ("12.3", "012.30") could lend characters to the field beside it. Zero is a
    /// form like any other ("0.00"); whether it may be a price is the caller's to say.
    public static func money(_ text: String) -> Money? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes.count <= 11, bytes[bytes.count - 3] == UInt8(ascii: "."),
              bytes[0] != UInt8(ascii: "0") || bytes.count == 4 else { return nil }
        var fen: Int64 = 0
        for (index, byte) in bytes.enumerated() where index != bytes.count - 3 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            fen = fen * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        let money = Money(minorUnits: fen, currency: CloudPayAccount.currency)
        return fen <= Money.maximum(in: CloudPayAccount.currency).minorUnits ? money : nil
    }
}
