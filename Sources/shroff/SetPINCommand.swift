import ArgumentParser
import Foundation
import Owner
import Words

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
        let words = session.output.words
        let store = ManagerPINStore(ledgerPath: session.configuration.store.ledgerPath)
        let old = store.isSet ? try PINPrompt.read(words("cli.pin.current") + " ", words) : nil
        let new = try PINPrompt.read(words("cli.pin.new") + " ", words)
        do {
            try ManagerPINStore.validate(new)
        } catch {
            throw ShroffFailure(error.description)
        }
        if isatty(0) == 1 {
            guard try PINPrompt.read(words("cli.pin.again") + " ", words) == new else { throw ShroffFailure(words("cli.pin.differ")) }
        }
        do {
            try store.set(new: new, old: old, now: Date())
        } catch {
            throw ShroffFailure(error.description)
        }
        session.output.result(words("cli.pin.set"), ["pin_set": .bool(true)])
    }
}
