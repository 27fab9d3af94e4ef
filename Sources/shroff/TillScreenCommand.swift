import ArgumentParser
import CheckoutCore
import Config
import Foundation
import Ledger
import Owner
import TerminalUI
import Till

/// `shroff` with no subcommand: the cashier's screen. Without a terminal (a script, a pipe)
/// it says how the till is set up instead, as `shroff info` does.
struct TillScreenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "till",
        abstract: "Open the cashier's screen (the default when a terminal is attached).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard isatty(0) == 1, isatty(1) == 1, !global.json else {
            var info = InfoCommand()
            info.global = global
            try await info.run()
            return
        }
        let session = try await TillSession.open(global, sayLanguageNote: false)
        do { try await session.requireNotifyServer() } catch {
            await session.close()
            throw error
        }
        let configuration = session.configuration
        let ledger = session.ledger
        let store = configuration.store
        let pins = ManagerPINStore(ledgerPath: store.ledgerPath)
        let printer = ReceiptPrinter(directory: configuration.receipts.directory, device: configuration.receipts.printer,
                                     characters: PrinterCharacters(configuration.receipts.encoding, language: session.language.language))
        let services = TillServices(
            checkPIN: { pins.check($0, now: Date()) },
            dayReport: { try ledger.dayReport(day: .containing(Date(), in: store.timeZone), currency: store.currency, tills: .till(ledger.till)) },
            closeDay: { try ledger.closeDay(.containing(Date(), in: store.timeZone), currency: store.currency, at: Date()) },
            printReceipt: { printer.print($0)?.description },
            exchangeRate: TillServices.gatewayRate(runner: session.runner, currency: store.currency))
        try await session.run { () throws(TerminalError) in
            try await TillApp.launch(configuration: configuration, runner: session.runner, ledger: ledger, services: services,
                                     language: session.language)
        }
    }
}
