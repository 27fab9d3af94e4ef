import GRDB
import Ledger

extension OrderRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "orders"
}

extension RefundRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "refunds"
}

extension EventRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "events"
}

extension AttemptRow: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attempts"
}

/// The ledger's statements on one SQLite connection, inside a GRDB transaction. A write
/// transaction is SQLite's only writer until it ends, so rows read in it stay as read.
struct SQLiteStatements: LedgerStatements {
    let db: Database
    /// This process's lease, for telling live owners from dead ones; nil in memory.
    let lease: OwnerLease?

    func order(_ id: String) throws -> OrderRow? { try OrderRow.fetchOne(db, key: id) }
    func orderExists(_ id: String) throws -> Bool { try OrderRow.exists(db, key: id) }
    func insert(_ row: OrderRow) throws { try row.insert(db) }
    func update(_ row: OrderRow) throws { try row.update(db) }

    func refund(_ id: String) throws -> RefundRow? { try RefundRow.fetchOne(db, key: id) }
    func refundExists(_ id: String) throws -> Bool { try RefundRow.exists(db, key: id) }

    func refunds(ofOrder orderID: String) throws -> [RefundRow] {
        try RefundRow.fetchAll(db, sql: "SELECT * FROM refunds WHERE order_id = ? ORDER BY sequence", arguments: [orderID])
    }

    func insert(_ row: RefundRow) throws { try row.insert(db) }
    func update(_ row: RefundRow) throws { try row.update(db) }

    func releaseRefund(_ id: String, owner: String) throws {
        try db.execute(sql: "UPDATE refunds SET owner = NULL WHERE id = ? AND owner = ?", arguments: [id, owner])
    }

    func committedRefunds(ofOrder orderID: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE order_id = ? AND status IN ('pending', 'unknown', 'refunded')
            """, arguments: [orderID]) ?? 0
    }

    func lastRefundSequence(ofOrder orderID: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM refunds WHERE order_id = ?", arguments: [orderID]) ?? 0
    }

    func append(_ row: EventRow) throws { try row.insert(db) }

    func insertPayLink(token: String, orderID: String, credential: String, createdAt: Int64, expiresAt: Int64) throws {
        try db.execute(sql: "INSERT INTO pay_links (token, order_id, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [token, orderID, credential, createdAt, expiresAt])
    }

    func payLinkCredential(token: String, now: Int64) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT pay_links.credential FROM pay_links JOIN orders ON orders.id = pay_links.order_id
            WHERE pay_links.token = ? AND orders.status = 'pending' AND pay_links.expires_at > ?
            """, arguments: [token, now])
    }

    func events(ofOrder orderID: String) throws -> [EventRow] {
        try EventRow.fetchAll(db, sql: "SELECT * FROM events WHERE order_id = ? ORDER BY seq", arguments: [orderID])
    }

    func record(_ row: AttemptRow) throws {
        try db.execute(sql: """
            INSERT INTO attempts (id, order_id, operation, refund_id, started_at, finished_at, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome
            """, arguments: [row.id, row.orderID, row.operation, row.refundID, row.startedAt, row.finishedAt, row.outcome])
    }

    func attempts(ofOrder orderID: String) throws -> [AttemptRow] {
        try AttemptRow.fetchAll(db, sql: "SELECT * FROM attempts WHERE order_id = ? ORDER BY started_at, rowid",
                                arguments: [orderID])
    }

    func ownerIsAlive(_ owner: String) throws -> Bool { lease?.isAlive(owner) ?? false }

    /// Nothing to announce: a waiting till reads the row (see `SQLiteLedger.news(of:)`).
    func announceChange(ofOrder orderID: String) throws {}
}
