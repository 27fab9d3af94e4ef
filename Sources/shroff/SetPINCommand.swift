import ArgumentParser
import Foundation
import Owner

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
