import ArgumentParser
import Ledger

/// Whose orders a listing or a report covers: this till's, unless `--till` or `--all-tills` widens it.
struct TillOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Another till of the store, by its [store] till name (default: this till).", valueName: "name"))
    var till: String?

    @Flag(name: .customLong("all-tills"), help: "Every till of the store (on a ledger file, the same as this till: the file is one till's).")
    var allTills = false

    func validate() throws {
        if till != nil && allTills { throw ValidationError("Give --till NAME or --all-tills, not both.") }
    }

    /// The scope asked for, and the tills it covers by name. A name the store has never used
    /// throws `.unknownTill`, before anything is read.
    func scope(_ ledger: any Ledger) throws(LedgerError) -> (tills: TillScope, names: [String]) {
        let known = try ledger.tills()
        if allTills { return (.allTills, known) }
        let name = till ?? ledger.till
        guard known.contains(name) else { throw .unknownTill(name, known: known) }
        return (.till(name), [name])
    }
}
