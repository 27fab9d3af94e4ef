import CheckoutCore
import Foundation
import Ledger

/// The ledger on a PostgreSQL server: one database for every till of a shop (or a chain's
/// shops, each its own `store`). It keeps every promise of `Ledger`, with the same rules as
/// the SQLite ledger (`LedgerRules`), and:
/// - a refund is checked against what is left with its order's row locked (`FOR UPDATE`), so
///   two tills refunding one order at once cannot both pass;
/// - an order belongs to the till session that started it, a session-level advisory lock
///   the server drops when that till's connection ends (see `PostgresLink`), so any till
///   takes over the open orders of a till that died;
/// - every order carries the `till` that recorded it; a till reads and writes its own store's
///   orders only.
///
/// - a notification applied to an order is announced (`NOTIFY`) when its transaction commits,
///   and a till waiting on the order hears it on a connection that only listens
///   (`PostgresListener`), on any machine.
///
/// Opening it connects, migrates the schema when needed (`PostgresSchema`) and starts a
/// session; a connection lost later is opened again at the next call, as a new session.
public final class PostgresLedger: LedgerBackend {
    let link: PostgresLink
    let listener: PostgresListener
    var settings: PostgresLedgerSettings { link.settings }

    /// Connects to the server and makes sure the schema is current. Throws
    /// `.serverUnreachable` when the server cannot be reached, `.schemaTooNew` when a newer
    /// shroff migrated it, `.tillNameTaken` when another machine runs a till of this name.
    public init(settings: PostgresLedgerSettings) throws(LedgerError) {
        let link = PostgresLink(settings: settings)
        self.link = link
        listener = PostgresListener(store: settings.store, retryDelay: settings.listenRetry, logger: link.logger,
                                    configuration: { try link.configuration() })
        do {
            _ = try link.ownerID()
        } catch {
            link.close()
            throw error
        }
    }

    /// Connects, brings the schema up to date and disconnects: `shroff ledger migrate`.
    /// Returns the schema version before and after.
    public static func migrate(settings: PostgresLedgerSettings) throws(LedgerError) -> (from: Int, to: Int) {
        let link = PostgresLink(settings: settings)
        defer { link.close() }
        return try link.migrateOnly()
    }

    public var location: String { "postgresql://\(settings.server) (store \(settings.store), till \(settings.till))" }

    public var till: String { settings.till }

    /// This till session's owner name ("counter-1#42"); nil while the server cannot be reached.
    public var ownerID: String? { try? link.ownerID() }

    public func close() throws(LedgerError) {
        listener.close()
        link.close()
    }

    /// A ledger dropped without `close()` stops listening all the same.
    deinit { listener.close() }

    /// News from the listening connection: `.changed` within moments of a notify server's
    /// commit, or `.notListening` while that connection is down (the till reads the row).
    public func news(of id: OrderID) -> AsyncStream<OrderNews> { listener.news(of: id) }

    public func identity() throws(LedgerError) -> Int32? {
        try link.withConnection { statements, _ in
            Int32(truncatingIfNeeded: try statements.rows("SELECT id::bigint FROM ledger_identity")[0].int(0))
        }
    }

    /// The server's disk is the server's to watch (a full one refuses the write, and the sale
    /// with it); this asks the server to answer, so a sale never starts while it cannot be reached.
    public func checkRoomForASale(minimum: UInt64) throws(LedgerError) {
        _ = try link.withConnection { statements, _ in try statements.run("SELECT 1") }
    }

    package func transaction<T>(writing: Bool, _ body: (any LedgerStatements) throws -> T) throws(LedgerError) -> T {
        let store = settings.store
        let till = settings.till
        return try link.withConnection { statements, _ in
            try statements.run(writing ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try body(PostgresStatements(statements: statements, store: store, till: till, locking: writing))
                try statements.run("COMMIT")
                return value
            } catch {
                _ = try? statements.run("ROLLBACK")
                throw error
            }
        }
    }

    package func prepareForOrder() throws(LedgerError) {}

    package func ownerIsAlive(_ owner: String) -> Bool {
        guard let session = PostgresLink.session(ofOwner: owner) else { return false }
        // Unknown (the server cannot be reached): alive, so nothing is taken over on a guess.
        return (try? link.withConnection { statements, _ in try statements.sessionIsAlive(session) }) ?? true
    }
}
