import CheckoutCore

/// Amounts at Paymax's edge: decimals in yuan ("12.30"), made from and read into `Money`'s
/// integer fen by digits alone — never through a floating-point number, because the body's
/// bytes are signed and a fen lost to rounding is money.
public enum PaymaxAmount {
    /// "12.30" for 1230 fen. Only CNY reaches here (the configuration refuses other stores).
    public static func yuan(_ money: Money) -> String {
        let fen = money.minorUnits
        let cents = String(fen % 100)
        return "\(fen / 100)." + (cents.count == 1 ? "0" : "") + cents
    }

    /// Fen from a decimal in yuan as Paymax writes it ("12.3", "7", "0.01", "12.30"); nil for
    /// a negative number, an exponent, or a fraction of a fen.
    public static func money(_ text: String) -> Money? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              let yuan = Int64(whole) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 2 else { return nil }
        let fen = yuan * 100 + (Int64(fraction + String(repeating: "0", count: 2 - fraction.count)) ?? 0)
        return Money(minorUnits: fen, currency: .cny)
    }
}
