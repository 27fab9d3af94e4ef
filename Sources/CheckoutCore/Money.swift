/// An amount of money: whole minor units (cents, fen) of one currency. Never a floating-point number.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units of `currency`. Never negative in an order or refund.
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The largest amount a till accepts for one sale: 10 million major units.
    /// Gateways take `total_fee` as an 11-digit integer; this stays well inside it.
    public static func maximum(in currency: Currency) -> Money {
        Money(minorUnits: 10_000_000 * currency.minorPerMajor, currency: currency)
    }

    /// Parses what a cashier or a script typed, in major units ("12.30", "12.3", "12").
    ///
    /// Refuses negatives, zero, more decimals than the currency has, anything that is
    /// not a plain decimal number, and amounts above `maximum(in:)`.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.hasPrefix("-") { throw .notPositive(trimmed) }
        let parts = trimmed.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .notANumber(trimmed) }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        let digitsOnly: (Substring) -> Bool = { $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
        guard digitsOnly(whole), digitsOnly(fraction), !(whole.isEmpty && fraction.isEmpty) else {
            throw .notANumber(trimmed)
        }
        if parts.count == 2 && fraction.isEmpty { throw .notANumber(trimmed) }
        guard fraction.count <= currency.exponent else {
            throw .tooManyDecimals(trimmed, currency: currency)
        }
        let significantWhole = whole.drop(while: { $0 == "0" })
        // Anything with more than 12 significant whole digits is over the maximum anyway.
        guard significantWhole.count <= 12 else { throw .tooLarge(trimmed, maximum: .maximum(in: currency)) }
        let paddedFraction = fraction + String(repeating: "0", count: currency.exponent - fraction.count)
        let minor = (Int64(significantWhole) ?? 0) * currency.minorPerMajor + (Int64(paddedFraction) ?? 0)
        guard minor > 0 else { throw .notPositive(trimmed) }
        let maximum = Money.maximum(in: currency)
        guard minor <= maximum.minorUnits else { throw .tooLarge(trimmed, maximum: maximum) }
        self.init(minorUnits: minor, currency: currency)
    }

    /// The amount in major units with exactly the currency's decimals: "12.30", "1200".
    public var decimalString: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard currency.exponent > 0 else { return sign + String(magnitude) }
        let scale = UInt64(currency.minorPerMajor)
        let fraction = String(magnitude % scale)
        let padded = String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        return "\(sign)\(magnitude / scale).\(padded)"
    }

    /// "HKD 12.30".
    public var description: String { "\(currency.code) \(decimalString)" }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }
}

/// Why a typed amount was refused; each message says what to type instead.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case notPositive(String)
    case tooManyDecimals(String, currency: Currency)
    case tooLarge(String, maximum: Money)

    public var description: String {
        switch self {
        case .empty:
            return "No amount given. Type the amount in major units, for example 12.30."
        case .notANumber(let text):
            return "\"\(text)\" is not an amount. Type digits with at most one decimal point, for example 12.30."
        case .notPositive(let text):
            return "The amount must be more than zero (got \(text))."
        case .tooManyDecimals(let text, let currency):
            return currency.exponent == 0
                ? "\(currency.code) has no decimals (got \(text)). Type a whole number."
                : "\(currency.code) has \(currency.exponent) decimals (got \(text)). Round the amount to \(currency.exponent) decimals."
        case .tooLarge(let text, let maximum):
            return "\(text) is more than the largest sale this till takes (\(maximum.decimalString))."
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
