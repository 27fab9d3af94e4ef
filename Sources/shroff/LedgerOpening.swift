import Config
import Ledger
import PostgresLedger
import SQLiteLedger

/// The ledger the configuration names: the shop's server (`[ledger]`), or the SQLite file.
enum LedgerOpening {
    static func open(_ configuration: ShroffConfiguration) throws(LedgerError) -> any Ledger {
        guard let settings = postgresSettings(configuration) else {
            return try SQLiteLedger(path: configuration.store.ledgerPath, till: configuration.store.till ?? SQLiteLedger.machineTill)
        }
        return try PostgresLedger(settings: settings)
    }

    /// What `PostgresLedger` needs, when the configuration keeps the ledger on a server.
    static func postgresSettings(_ configuration: ShroffConfiguration) -> PostgresLedgerSettings? {
        guard let server = configuration.ledgerServer, let till = configuration.store.till else { return nil }
        let tls: PostgresLedgerSettings.TLS
        switch server.tls {
        case .verifyFull: tls = .verifyFull
        case .require: tls = .require
        case .disable: tls = .disable
        }
        return PostgresLedgerSettings(host: server.host, port: server.port, user: server.user, database: server.database,
                                      password: server.password?.reveal(), tls: tls, store: configuration.store.id, till: till)
    }
}
