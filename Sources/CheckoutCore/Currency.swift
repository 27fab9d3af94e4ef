/// An ISO 4217 currency and the number of decimals its minor unit has.
///
/// Only currencies whose exponent is known are accepted, so an amount can never be
/// scaled wrongly at a gateway's edge.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case ("HKD").
    public let code: String
    /// Decimals of the minor unit: 2 for HKD (cents), 0 for JPY.
    public let exponent: Int

    /// Currencies a Wantu-style gateway settles in, with their ISO 4217 exponents.
    static let known: [String: Int] = [
        "HKD": 2, "CNY": 2, "MOP": 2, "TWD": 2, "USD": 2, "EUR": 2, "GBP": 2,
        "SGD": 2, "AUD": 2, "CAD": 2, "NZD": 2, "CHF": 2, "THB": 2, "MYR": 2,
        "JPY": 0, "KRW": 0,
    ]

    /// Looks a code up; `nil` when it is not ISO 4217 or its exponent is unknown here.
    public init?(code: String) {
        let upper = code.uppercased()
        guard let exponent = Currency.known[upper] else { return nil }
        self.code = upper
        self.exponent = exponent
    }

    public static let hkd = Currency(code: "HKD")!
    public static let cny = Currency(code: "CNY")!

    public var description: String { code }

    /// 10^exponent: minor units in one major unit.
    public var minorPerMajor: Int64 {
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
