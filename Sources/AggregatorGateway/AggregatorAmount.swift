import CheckoutCore

/// Amounts as the aggregator writes them in its answers and callbacks, read into fen.
///
/// The seed says every amount is in fen (分), yet writes them two ways: the request's
/// `amount=10000` comes back in the callback as `"10000.00"`, and the query example shows
/// `"60000.00"`. The rule, so that no reading changes what an amount means:
/// - digits only (`"60000"`): that many fen;
/// - digits, a point and zeros only (`"60000.00"`): that many fen, the seed's `.00` form;
/// - a fraction that is not all zeros (`"600.50"`): refused — no count of fen has one, and
///   reading it as yuan would change the unit the seed names;
/// - against the order's amount, one case is ambiguous: a `.00` amount whose fen reading does
///   not match but whose yuan reading (a hundred times more) does, such as `"600.00"` for an
///   order of CNY 600.00. The aggregator may be writing yuan, or reporting 6 yuan paid: it is
///   never believed as paid (`isYuanOnlyReading`).
enum AggregatorAmount {
    /// The fen `text` stands for; nil when it is not one of the two forms above, is negative,
    /// or is too long to be a till's amount.
    static func fen(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        guard (1...15).contains(whole.count), whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0 == "0" }) else { return nil }
        }
        return Int64(whole)
    }

    /// `text` in CNY, or nil when it cannot be read as fen.
    static func money(_ text: String) -> Money? {
        fen(text).map { Money(minorUnits: $0, currency: .cny) }
    }

    /// True when `text` is a `.00` amount that matches `expected` only if read as yuan.
    static func isYuanOnlyReading(_ text: String, expected: Money) -> Bool {
        guard text.contains("."), let fen = fen(text) else { return false }
        return fen != expected.minorUnits && fen.multipliedReportingOverflow(by: 100) == (expected.minorUnits, false)
    }
}
