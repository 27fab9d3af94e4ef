import Foundation
import Ledger
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// A value bound to a statement's `?`.
enum SQLValue: Sendable {
    case text(String?)
    case int(Int64?)
}

/// One connection to the ledger server, used by one caller at a time, and the session it
/// holds there.
///
/// The session is this process's claim on the orders it starts: a row of `ledger_sessions`
/// and a session-level advisory lock on its number. PostgreSQL drops the lock when the
/// connection ends, however the process ends (kill -9, a power cut: once the server notices
/// the connection is gone), so another till can tell a live owner from a dead one by trying
/// the same lock. A lost connection is opened again at the next call, as a new session.
///
/// Statements block their caller until the server answers (on an event loop of the link's
/// own, never the caller's).
final class PostgresLink: Sendable {
    /// How long any one statement, connect or close waits for the server before the ledger
    /// reports it unreachable.
    static let answerSeconds = 30

    let settings: PostgresLedgerSettings
    private let group: MultiThreadedEventLoopGroup
    let logger: Logger
    private let state: Mutex<Connection?>
    private let closed = Atomic(false)

    /// The advisory lock class of till sessions (its second key is the session's number).
    static let sessionLockClass: Int32 = 0x5348_5346  // "SHSF"
    /// The advisory lock taken while migrating the schema.
    static let migrationLock: Int64 = 0x5348_524F_4646_4D31  // "SHROFFM1"

    struct Connection {
        let connection: PostgresConnection
        let session: Int64
    }

    init(settings: PostgresLedgerSettings) {
        self.settings = settings
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "shroff.ledger.postgres")
        logger.logLevel = .critical
        self.logger = logger
        state = Mutex(nil)
    }

    /// The owner name of this link's current session, opening it when there is none.
    func ownerID() throws(LedgerError) -> String {
        try withConnection { _, session in Self.ownerName(till: settings.till, session: session) }
    }

    static func ownerName(till: String, session: Int64) -> String { "\(till)#\(session)" }

    /// The session number in an owner name; nil for a name no PostgreSQL till wrote.
    static func session(ofOwner owner: String) -> Int32? {
        guard let mark = owner.lastIndex(of: "#") else { return nil }
        return Int32(owner[owner.index(after: mark)...])
    }

    /// Runs `body` with the connection, opening it (and a new session) when there is none.
    /// A connection that failed is dropped, so the next call opens another.
    func withConnection<T>(_ body: (PostgresLink.Statements, Int64) throws -> T) throws(LedgerError) -> T {
        do {
            return try state.withLock { (current: inout Connection?) throws -> T in
                if current == nil || current?.connection.isClosed == true {
                    current = nil
                    current = try open()
                }
                let link = current!
                do {
                    return try body(Statements(connection: link.connection, logger: logger), link.session)
                } catch {
                    if link.connection.isClosed || Self.isConnectionLoss(error) {
                        _ = try? link.connection.close().wait(atMost: PostgresLink.answerSeconds)
                        current = nil
                    }
                    throw error
                }
            }
        } catch {
            throw ledgerError(error)
        }
    }

    /// A process that ends without `close()` ends its session all the same.
    deinit { close() }

    /// Closes the connection, which ends its session and lets its orders be taken over. A
    /// second call does nothing.
    func close() {
        let (link, wasOpen) = state.withLock { current -> (Connection?, Bool) in
            defer { current = nil }
            return (current, !closed.exchange(true, ordering: .relaxed))
        }
        guard wasOpen else { return }
        if let link {
            // Dropped here rather than when the server notices the connection ended, so another
            // till sees this session's orders free as soon as close() returns.
            _ = try? Statements(connection: link.connection, logger: logger).run("SELECT pg_advisory_unlock_all()")
            _ = try? link.connection.close().wait(atMost: PostgresLink.answerSeconds)
        }
        try? group.syncShutdownGracefully()
    }

    /// Connects, migrates the schema and disconnects, starting no session; returns the
    /// versions before and after.
    func migrateOnly() throws(LedgerError) -> (from: Int, to: Int) {
        do {
            let connection = try connect()
            defer { _ = try? connection.close().wait(atMost: PostgresLink.answerSeconds) }
            return try PostgresSchema.migrate(Statements(connection: connection, logger: logger), server: settings.server)
        } catch {
            throw ledgerError(error)
        }
    }

    private func connect() throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: try configuration(),
                                                  id: 1, logger: logger).wait(atMost: PostgresLink.answerSeconds)
        } catch {
            throw LedgerError.serverUnreachable(server: settings.server, reason: Self.reason(error))
        }
    }

    /// Opens a connection, makes sure the schema is current, and starts a session on it.
    private func open() throws -> Connection {
        let connection = try connect()
        do {
            let statements = Statements(connection: connection, logger: logger)
            try PostgresSchema.migrate(statements, server: settings.server)
            let session = try Self.startSession(statements, settings: settings)
            return Connection(connection: connection, session: session)
        } catch {
            _ = try? connection.close().wait(atMost: PostgresLink.answerSeconds)
            throw error
        }
    }

    /// Registers a session and locks it; refuses a till name a live session on another machine holds.
    private static func startSession(_ statements: Statements, settings: PostgresLedgerSettings) throws -> Int64 {
        let host = ProcessInfo.processInfo.hostName
        let others = try statements.rows("""
            SELECT id, host FROM ledger_sessions WHERE store_id = ? AND till = ? AND host <> ? AND ended_at IS NULL
            """, [.text(settings.store), .text(settings.till), .text(host)])
        for row in others {
            let (id, otherHost) = try (row.int(0), row.text(1))
            if try statements.sessionIsAlive(Int32(truncatingIfNeeded: id)) {
                throw LedgerError.tillNameTaken(till: settings.till, store: settings.store, host: otherHost)
            }
            try statements.run("UPDATE ledger_sessions SET ended_at = ? WHERE id = ?", [.int(Date().ledgerMillis), .int(id)])
        }
        let id = try statements.rows("""
            INSERT INTO ledger_sessions (store_id, till, host, started_at) VALUES (?, ?, ?, ?) RETURNING id
            """, [.text(settings.store), .text(settings.till), .text(host), .int(Date().ledgerMillis)])[0].int(0)
        try statements.run("SELECT pg_advisory_lock(?::integer, ?::integer)",
                           [.int(Int64(sessionLockClass)), .int(Int64(Int32(truncatingIfNeeded: id)))])
        return id
    }

    func configuration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch settings.tls {
        case .disable:
            tls = .disable
        case .require:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .require(try NIOSSLContext(configuration: config))
        case .verifyFull:
            tls = .require(try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                             password: settings.password, database: settings.database, tls: tls)
        configuration.options.connectTimeout = .seconds(settings.connectTimeout)
        if settings.tls == .verifyFull { configuration.options.tlsServerName = settings.host }
        return configuration
    }

    /// Turns whatever the driver threw into a ledger error, keeping statements and their
    /// arguments out (PostgreSQL's `detail` may quote a row's values: it is never used).
    func ledgerError(_ error: any Error) -> LedgerError {
        switch error {
        case let error as LedgerError:
            return error
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                if state.hasPrefix("08") || state == "57P01" || state == "57P03" {
                    return .serverUnreachable(server: settings.server, reason: error.serverInfo?[.message] ?? state)
                }
                return .server(server: settings.server, sqlState: state, message: error.serverInfo?[.message] ?? "no message")
            }
            if Self.isConnectionLoss(error) {
                return .serverUnreachable(server: settings.server, reason: "the connection was lost")
            }
            return .server(server: settings.server, sqlState: "XX000", message: error.code.description)
        case is PostgresDecodingError:
            return .corrupt("a stored row has a missing or wrongly typed value")
        default:
            return .serverUnreachable(server: settings.server, reason: Self.reason(error))
        }
    }

    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return error is ChannelError || error is IOError || error is PostgresNoAnswer }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
        default: return error.serverInfo?[.sqlState]?.hasPrefix("08") ?? false
        }
    }

    /// What went wrong with a connection, in words safe for a log (no password).
    private static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return reason(underlying) }
            return error.code.description
        }
        if let error = error as? IOError { return error.description }
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        return String(describing: error)
    }
}

extension PostgresLink {
    /// Statements on one connection: `?` placeholders, run one at a time, each waited for.
    struct Statements {
        let connection: PostgresConnection
        let logger: Logger

        func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
            try connection.query(Self.query(sql, values), logger: logger).wait(atMost: PostgresLink.answerSeconds).rows.map(Row.init)
        }

        /// Runs a statement and returns how many rows it changed.
        @discardableResult
        func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
            try connection.query(Self.query(sql, values), logger: logger).wait(atMost: PostgresLink.answerSeconds).metadata.rows ?? 0
        }

        /// True while session `id` holds its lock, asked without waiting and without keeping
        /// anything (a transaction-level shared lock, dropped when this statement's
        /// transaction ends). Two tills asking about one dead session at once both see it dead.
        func sessionIsAlive(_ id: Int32) throws -> Bool {
            let free = try rows("SELECT pg_try_advisory_xact_lock_shared(?::integer, ?::integer)",
                                [.int(Int64(PostgresLink.sessionLockClass)), .int(Int64(id))])[0].bool(0)
            return !free
        }

        /// `sql` with each `?` numbered as PostgreSQL wants (`$1`, `$2`…), and its values bound.
        static func query(_ sql: String, _ values: [SQLValue]) -> PostgresQuery {
            var text = ""
            text.reserveCapacity(sql.utf8.count + 8)
            var number = 0
            var inString = false
            for character in sql {
                if character == "'" { inString.toggle() }
                if character == "?" && !inString {
                    number += 1
                    text += "$\(number)"
                } else {
                    text.append(character)
                }
            }
            var binds = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .text(let text): binds.append(text)
                case .int(let int): binds.append(int)
                }
            }
            return PostgresQuery(unsafeSQL: text, binds: binds)
        }
    }

    /// One row of an answer, read by column number.
    struct Row {
        let row: PostgresRandomAccessRow

        init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

        func text(_ column: Int) throws -> String { try row[column].decode(String.self) }
        func optionalText(_ column: Int) throws -> String? { try row[column].decode(String?.self) }
        func int(_ column: Int) throws -> Int64 { try row[column].decode(Int64.self) }
        func optionalInt(_ column: Int) throws -> Int64? { try row[column].decode(Int64?.self) }
        func bool(_ column: Int) throws -> Bool { try row[column].decode(Bool.self) }
    }
}
