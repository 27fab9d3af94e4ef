import CheckoutCore
import Testing

@Suite("Money: typed amounts become integer minor units or a clear refusal")
struct MoneyTests {
    @Test(arguments: [
        ("12.30", 1230), ("12.3", 1230), ("12", 1200), ("0.01", 1), (" 7.05 ", 705), ("0012.00", 1200),
        (".5", 50), ("10000000", 1_000_000_000),
    ])
    func parsesMajorUnits(text: String, minor: Int64) throws {
        let money = try Money(parsing: text, currency: .hkd)
        #expect(money.minorUnits == minor)
        #expect(money.currency == .hkd)
    }

    @Test func decimalsThatFloatsGetWrongStayExact() throws {
        // 0.03 and 79.10 are the classic float bugs: 2 fen, 79.0999…
        #expect(try Money(parsing: "0.03", currency: .cny).minorUnits == 3)
        #expect(try Money(parsing: "79.10", currency: .cny).minorUnits == 7910)
        #expect(try Money(parsing: "1.15", currency: .hkd).minorUnits == 115)
    }

    @Test(arguments: [
        ("", MoneyError.empty),
        ("-5", .notPositive("-5")),
        ("0", .notPositive("0")),
        ("0.00", .notPositive("0.00")),
        ("abc", .notANumber("abc")),
        ("1,50", .notANumber("1,50")),
        ("1.2.3", .notANumber("1.2.3")),
        ("1.", .notANumber("1.")),
        ("1e3", .notANumber("1e3")),
        ("+5", .notANumber("+5")),
        ("١٢", .notANumber("١٢")),
        ("12.345", .tooManyDecimals("12.345", currency: .hkd)),
    ])
    func refusesBadAmounts(text: String, error: MoneyError) {
        #expect(throws: error) { try Money(parsing: text, currency: .hkd) }
    }

    @Test func refusesOverflowAndAmountsAboveTheMaximum() {
        #expect(throws: MoneyError.tooLarge("10000000.01", maximum: .maximum(in: .hkd))) {
            try Money(parsing: "10000000.01", currency: .hkd)
        }
        let huge = "99999999999999999999999"
        #expect(throws: MoneyError.tooLarge(huge, maximum: .maximum(in: .hkd))) { try Money(parsing: huge, currency: .hkd) }
    }

    @Test func currencyWithoutDecimalsRefusesThem() throws {
        let yen = try #require(Currency(code: "jpy"))
        #expect(try Money(parsing: "500", currency: yen).minorUnits == 500)
        #expect(throws: MoneyError.tooManyDecimals("500.5", currency: yen)) { try Money(parsing: "500.5", currency: yen) }
        #expect(Money(minorUnits: 500, currency: yen).decimalString == "500")
    }

    @Test func formatsWithTheCurrencysDecimals() {
        #expect(Money(minorUnits: 1230, currency: .hkd).description == "HKD 12.30")
        #expect(Money(minorUnits: 5, currency: .hkd).decimalString == "0.05")
        #expect(Money(minorUnits: -105, currency: .hkd).decimalString == "-1.05")
    }

    @Test func everyRefusalSaysWhatToType() {
        let errors: [MoneyError] = [.empty, .notANumber("x"), .notPositive("-1"), .tooManyDecimals("1.234", currency: .hkd),
                                    .tooLarge("1e99", maximum: .maximum(in: .hkd))]
        for error in errors { #expect(error.description.count > 20) }
        #expect(MoneyError.tooManyDecimals("1.234", currency: .hkd).description.contains("2 decimals"))
    }

    @Test func unknownCurrenciesAreRefused() {
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "hkd") == .hkd)
    }

    @Test func exchangeRateConvertsToCNYWithoutFloats() throws {
        let rate = try #require(ExchangeRate(currency: .hkd, decimal: "0.87080000"))
        #expect(rate.decimalString == "0.87080000")
        #expect(rate.cnyEquivalent(of: Money(minorUnits: 1230, currency: .hkd)) == Money(minorUnits: 1071, currency: .cny))  // 10.7108
        #expect(rate.cnyEquivalent(of: Money(minorUnits: 1230, currency: .cny)) == nil)
        #expect(ExchangeRate(currency: .hkd, decimal: "abc") == nil)
        #expect(ExchangeRate(currency: .hkd, decimal: "0.000000001") == nil)
    }
}
