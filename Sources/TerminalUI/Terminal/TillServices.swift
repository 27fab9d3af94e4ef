import CheckoutCore
import Owner
import Till

/// The owner's side of the till that the runtime calls but does not implement: the manager
/// PIN, the day's reports and closing, receipts, and the exchange rate shown beside amounts.
///
/// A bundle of closures so the runtime does not depend on how each is stored (a PIN file, a
/// printer device) and tests can supply their own. Each closure may be called from any task.
public struct TillServices: Sendable {
    /// Checks a typed manager PIN (and counts wrong ones toward the lockout).
    public var checkPIN: @Sendable (String) async -> PINCheck
    /// The X report: the day so far.
    public var dayReport: @Sendable () async throws -> DayReport
    /// The Z report: closes the day and returns its figures.
    public var closeDay: @Sendable () async throws -> DayReport
    /// Sends a receipt to the configured printer or file; nil when it went out, else why not.
    public var printReceipt: @Sendable (Receipt) async -> String?
    /// Today's rate to CNY for the store's currency, or nil when there is none to show.
    public var exchangeRate: @Sendable () async -> ExchangeRate?

    public init(checkPIN: @escaping @Sendable (String) async -> PINCheck,
                dayReport: @escaping @Sendable () async throws -> DayReport,
                closeDay: @escaping @Sendable () async throws -> DayReport,
                printReceipt: @escaping @Sendable (Receipt) async -> String?,
                exchangeRate: @escaping @Sendable () async -> ExchangeRate?) {
        self.checkPIN = checkPIN
        self.dayReport = dayReport
        self.closeDay = closeDay
        self.printReceipt = printReceipt
        self.exchangeRate = exchangeRate
    }

    /// The rate to CNY from the gateway, for stores whose currency is not CNY; nil when the
    /// store charges in CNY, or when the gateway cannot say (the screen then shows no rate).
    public static func gatewayRate(runner: CheckoutRunner, currency: Currency) -> @Sendable () async -> ExchangeRate? {
        {
            guard currency.code != "CNY" else { return nil }
            return try? await runner.gateway.exchangeRate(for: currency)
        }
    }
}
