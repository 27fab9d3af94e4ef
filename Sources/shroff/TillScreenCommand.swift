import ArgumentParser
import CheckoutCore
import Config
import Foundation
import Ledger
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
        let session = try await TillSession.open(global)
        let configuration = session.configuration
        let ledger = session.ledger
        let store = configuration.store
        let pins = ManagerPINStore(ledgerPath: store.ledgerPath)
        let printer = ReceiptPrinter(directory: configuration.receipts.directory, device: configuration.receipts.printer)
        let services = TillServices(
            checkPIN: { pins.check($0, now: Date()) },
            dayReport: { try ledger.dayReport(day: .containing(Date(), in: store.timeZone), currency: store.currency) },
            closeDay: { try ledger.closeDay(.containing(Date(), in: store.timeZone), currency: store.currency, at: Date()) },
            printReceipt: { printer.print($0)?.description },
            exchangeRate: TillServices.gatewayRate(runner: session.runner, currency: store.currency))
        do {
            try await TillApp.launch(configuration: configuration, runner: session.runner, ledger: ledger, services: services)
        } catch {
            await session.close()
            throw ShroffFailure("\(error)")
        }
        await session.close()
    }
}

/// `shroff set-pin`: the manager PIN that guards refunds on the till's screen.
struct SetPINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-pin",
        abstract: "Set or change the manager PIN (4 to 8 digits) that the till asks for before a refund.",
        discussion: "It is stored as a salted PBKDF2 hash beside the ledger, never as the PIN. Changing it asks for the current one. Without a terminal the PINs are read from standard input, one per line (current first, when one is set).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        await session.close()
        let store = ManagerPINStore(ledgerPath: session.configuration.store.ledgerPath)
        let old = store.isSet ? try PINPrompt.read("Current manager PIN: ") : nil
        let new = try PINPrompt.read("New manager PIN (4 to 8 digits): ")
        do {
            try ManagerPINStore.validate(new)
        } catch {
            throw ShroffFailure(error.description)
        }
        if isatty(0) == 1 {
            guard try PINPrompt.read("Type it again: ") == new else { throw ShroffFailure("The two PINs differ; nothing was changed.") }
        }
        do {
            try store.set(new: new, old: old, now: Date())
        } catch {
            throw ShroffFailure(error.description)
        }
        session.output.result("Manager PIN set.", ["pin_set": .bool(true)])
    }
}

/// Reads a PIN without echoing it on a terminal, or a line from standard input otherwise.
enum PINPrompt {
    static func read(_ prompt: String) throws -> String {
        guard isatty(0) == 1 else {
            guard let line = readLine() else { throw ShroffFailure("No PIN on standard input; nothing was changed.") }
            return line.trimmingCharacters(in: .whitespaces)
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return (readLine() ?? "").trimmingCharacters(in: .whitespaces)
    }
}
