import ArgumentParser
import Config
import Foundation
import PostgresLedger

/// `shroff ledger …`: looking after the shop's ledger itself.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Look after the shop's ledger.",
        subcommands: [LedgerMigrateCommand.self])
}

/// `shroff ledger migrate`: brings the ledger server's tables up to this shroff's version now,
/// rather than at the first till's start (any till does it then, once, under a lock).
struct LedgerMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Bring the shop's ledger server up to this shroff's schema.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration: ShroffConfiguration
        do {
            configuration = try ConfigLoader.load(explicitPath: global.config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ShroffFailure(error.description)
        }
        guard let settings = LedgerOpening.postgresSettings(configuration) else {
            throw ShroffFailure("This till keeps its ledger in the file \(configuration.store.ledgerPath), which migrates itself when it opens; `shroff ledger migrate` is for a ledger on a server ([ledger] url).")
        }
        let versions: (from: Int, to: Int)
        do { versions = try PostgresLedger.migrate(settings: settings) } catch { throw ShroffFailure(error.description) }
        let server = "postgresql://\(settings.server)"
        print(versions.from == versions.to
              ? "The ledger on \(server) is up to date (schema version \(versions.to))."
              : "The ledger on \(server) was migrated from schema version \(versions.from) to \(versions.to).")
    }
}
