import CheckoutCore
import Foundation
import GRDB
import Ledger
import Synchronization

/// The ledger in one SQLite file on the till's machine: the default, for a shop with one
/// counter. It keeps every promise of `Ledger`.
///
/// Safe to share between tasks: writes are serialised, reads run beside them (WAL).
///
/// Safe to share between processes on one machine (tills, `shroff orders`, the notification
/// receiver):
/// - every write is one SQLite transaction, and the file is in WAL mode;
/// - opening and migrating happen under a file lock, so two processes opening a new ledger
///   at the same moment migrate it once;
/// - each process holds an `OwnerLease`; an open order belongs to the process that started
///   it, and another takes it over (`claim`) only once that process is dead. An unsettled
///   refund belongs to the process sending it (`claimRefund`) until it lets go or dies.
public final class SQLiteLedger: LedgerBackend {
    /// The database file, or nil for an in-memory ledger.
    public let path: String?
    let writer: any DatabaseWriter
    /// This process's lease; nil for an in-memory ledger, which no other process can see.
    let lease: OwnerLease?
    /// True until this process has made sure the identity marker exists (see `Ledger+Identity`).
    let markerPending = Mutex(true)
    /// Set by the first `close()`; a second one does nothing.
    let isClosed = Mutex(false)
    /// The till this ledger is the book of: every order in it reads as this till's.
    public let till: String

    /// Opens the ledger at `path`, creating its folders (mode 0700) and the file (mode 0600)
    /// when missing, in WAL mode, and brings its schema up to date. `till` names the till it
    /// is the book of (`[store] till`; by default this machine's name).
    public init(path: String, till: String = SQLiteLedger.machineTill) throws(LedgerError) {
        self.path = path
        self.till = till
        try Self.prepareFile(at: path)
        guard let lease = OwnerLease(ledgerPath: path) else {
            throw .cannotOpen(path: path, reason: "its folder \(path).owners cannot be written")
        }
        self.lease = lease
        do {
            writer = try FileLock.withLock(lease.folder + "/open.lock") {
                let pool = try DatabasePool(path: path, configuration: Self.configuration())
                try Self.migrator.migrate(pool)
                try Self.checkIdentity(pool, path: path)
                return pool
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError {
            throw .cannotOpen(path: path, reason: Self.reason(error))
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: type(of: error)))
        }
    }

    private init(inMemory writer: DatabaseQueue) throws(LedgerError) {
        path = nil
        till = Self.machineTill
        lease = nil
        self.writer = writer
        do {
            try Self.migrator.migrate(writer)
        } catch {
            throw LedgerError(error, path: nil)
        }
    }

    /// A ledger that lives in memory only, for tests and dry runs: gone when released.
    public static func inMemory() throws(LedgerError) -> SQLiteLedger {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw LedgerError(error, path: nil)
        }
        return try SQLiteLedger(inMemory: queue)
    }

    /// Closes the database and gives up this process's lease, so its open orders may be taken
    /// over. Any later call fails with `LedgerError.storage`.
    ///
    /// Runs `PRAGMA optimize` first, which refreshes the query planner's statistics of the
    /// tables this process used when they have grown a lot (usually it does nothing, at once).
    /// A failure there (another process holds the write lock) is not an error. Then the WAL is
    /// checkpointed into the file, so a copy of the file alone is the whole ledger. A second
    /// `close()` does nothing.
    public func close() throws(LedgerError) {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        _ = try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA optimize") }
        lease?.release()
        // Busy (another process reading) only leaves the rest for a later checkpoint.
        _ = try? writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        do {
            try writer.close()
        } catch {
            throw LedgerError(error, path: path)
        }
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.label = "Ledger"
        config.foreignKeysEnabled = true
        // Another process (a second till, `shroff orders`) may hold the write lock briefly.
        config.busyMode = .timeout(5)
        return config
    }

    private static func reason(_ error: DatabaseError) -> String {
        "\(error.message ?? "SQLite error") (SQLite code \(error.extendedResultCode.rawValue))"
    }

    public var location: String { path ?? "memory" }

    /// This machine's host name up to its first dot ("counter-1" for counter-1.shop.lan): an
    /// SQLite ledger lives on one machine, so the machine names its till unless `[store] till`
    /// does. "till" when the system gives no name.
    public static var machineTill: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "till" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let short = name.split(separator: ".").first.map(String.init) ?? ""
        return short.isEmpty ? "till" : short
    }

    /// An SQLite ledger is one till's book.
    public func tills() throws(LedgerError) -> [String] { [till] }

    public var ownerID: String? { lease?.id }

    package func transaction<T>(writing: Bool, _ body: (any LedgerStatements) throws -> T) throws(LedgerError) -> T {
        let lease = self.lease
        if writing {
            return try write { db in try body(SQLiteStatements(db: db, lease: lease)) }
        }
        return try read { db in try body(SQLiteStatements(db: db, lease: lease)) }
    }

    package func prepareForOrder() throws(LedgerError) {
        try rememberIdentityBeforeFirstOrder()
    }

    package func ownerIsAlive(_ owner: String) -> Bool {
        lease?.isAlive(owner) ?? false
    }

    /// Runs `updates` in one write transaction; any error rolls it back.
    func write<T>(_ updates: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try writer.write(updates)
        } catch {
            throw LedgerError(error, path: path)
        }
    }

    func read<T>(_ value: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try writer.read(value)
        } catch {
            throw LedgerError(error, path: path)
        }
    }
}

extension LedgerError {
    /// Turns whatever GRDB threw into a ledger error, keeping SQL and its arguments out.
    init(_ error: any Error, path: String?) {
        switch error {
        case let error as LedgerError:
            self = error
        case let error as DatabaseError:
            self = .storage(path: path, code: error.extendedResultCode.rawValue, message: error.message ?? "no message")
        case is RowDecodingError:
            // Its description quotes the whole row; say only what failed.
            self = .corrupt("a stored row has a missing or wrongly typed value")
        default:
            self = .storage(path: path, code: 1, message: String(describing: type(of: error)))
        }
    }
}
