import Foundation
import PostgresLedger
import TestSupport

enum PostgresFixture {
    /// A till of store "shop-1" on `database` of the test cluster, over loopback without TLS.
    static func settings(_ server: PostgresServer, database: String, store: String = "shop-1",
                         till: String = "counter-1") -> PostgresLedgerSettings {
        PostgresLedgerSettings(host: "127.0.0.1", port: server.port, user: PostgresServer.user, database: database,
                               password: PostgresServer.password, tls: .disable, store: store, till: till)
    }
}
