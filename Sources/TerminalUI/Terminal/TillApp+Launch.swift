import CheckoutCore
import Config
import Ledger
import Till

extension TillApp {
    /// What `shroff` with no subcommand runs: the till on this terminal until the cashier quits.
    ///
    /// Throws `TerminalError.notATerminal` (with a message for scripts) when stdin or stdout
    /// is not a terminal, before anything is drawn.
    public static func launch(configuration: ShroffConfiguration, runner: CheckoutRunner, ledger: Ledger,
                              services: TillServices) async throws {
        try await TillApp(runner: runner, ledger: ledger, configuration: configuration, services: services).run()
    }
}

extension TillServices {
    /// The rate to CNY from the gateway, for stores whose currency is not CNY; nil when the
    /// store charges in CNY, or when the gateway cannot say (the screen then shows no rate).
    public static func gatewayRate(runner: CheckoutRunner, currency: Currency) -> @Sendable () async -> ExchangeRate? {
        {
            guard currency.code != "CNY" else { return nil }
            return try? await runner.gateway.exchangeRate(for: currency)
        }
    }
}
