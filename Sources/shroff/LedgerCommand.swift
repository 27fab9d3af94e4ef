import ArgumentParser
import Config
import Foundation
import Ledger
import PostgresLedger
import SQLiteLedger

/// `shroff ledger …`: looking after the shop's ledger itself.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Look after the shop's ledger.",
        subcommands: [LedgerMigrateCommand.self, LedgerImportCommand.self])
}

/// `shroff ledger migrate`: brings the ledger server's tables up to this shroff's version now,
/// rather than at the first till's start (any till does it then, once, under a lock).
struct LedgerMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the shop's ledger server up to this shroff's schema.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let settings = try LedgerCommand.serverSettings(global, for: "`shroff ledger migrate`")
        let versions: (from: Int, to: Int)
        do { versions = try PostgresLedger.migrate(settings: settings) } catch { throw ShroffFailure(error.description) }
        let server = "postgresql://\(settings.server)"
        print(versions.from == versions.to
              ? "The ledger on \(server) is up to date (schema version \(versions.to))."
              : "The ledger on \(server) was migrated from schema version \(versions.from) to \(versions.to).")
    }
}

/// `shroff ledger import --from PATH`: copies a till's SQLite ledger into the shop's server.
struct LedgerImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Copy a till's SQLite ledger into the shop's ledger server.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The SQLite ledger to copy.", valueName: "path"))
    var from: String

    func run() async throws {
        let settings = try LedgerCommand.serverSettings(global, for: "`shroff ledger import`")
        guard FileManager.default.fileExists(atPath: from) else {
            throw ShroffFailure("There is no ledger at \(from): give the path of the till's ledger file (ledger.sqlite) with --from.")
        }
        do {
            let source = try SQLiteLedger(path: from)
            defer { try? source.close() }
            let export = try source.exportHistory()
            let target = try PostgresLedger(settings: settings)
            defer { try? target.close() }
            let result = try target.importLedger(export)
            print("Imported \(result.imported) orders from \(from) into postgresql://\(settings.server) (store \(settings.store)); \(result.alreadyThere) were already there.")
        } catch {
            throw ShroffFailure(error.description)
        }
    }
}

extension LedgerCommand {
    /// The ledger server the configuration names; a failure saying so when it names a file.
    static func serverSettings(_ global: GlobalOptions, for command: String) throws -> PostgresLedgerSettings {
        let configuration: ShroffConfiguration
        do {
            configuration = try ConfigLoader.load(explicitPath: global.config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ShroffFailure(error.description)
        }
        guard let settings = LedgerOpening.postgresSettings(configuration) else {
            throw ShroffFailure("This till keeps its ledger in the file \(configuration.store.ledgerPath); \(command) is for a ledger on a server: add a [ledger] table with its url.")
        }
        return settings
    }
}
