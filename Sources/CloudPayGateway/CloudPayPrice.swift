import CheckoutCore

/// CloudPay's `price` and `realprice`: yuan with exactly two decimals ("10.23"), built from
/// and read into integer fen. This is the only place a CloudPay amount crosses into `Money`.
public enum CloudPayPrice {
    /// "12.30" for 1230 fen; nil when the amount is not in CNY.
    public static func text(_ money: Money) -> String? {
        guard money.currency == CloudPayAccount.currency else { return nil }
        return money.decimalString
    }

    /// The amount a price as CloudPay wrote it stands for; nil unless it is a positive decimal
    /// with at most two decimals (no sign, exponent or spaces: never read through a Double).
    public static func money(_ text: String) -> Money? {
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 }) else { return nil }
        return try? Money(parsing: text, currency: CloudPayAccount.currency)
    }
}
