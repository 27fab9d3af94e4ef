import Ledger

/// The ledger's statements in one PostgreSQL transaction of one store.
///
/// In a write transaction, `order` and `refund` read their row `FOR UPDATE`: another till
/// changing the same order (a second refund, a notification) waits until this transaction
/// ends, then reads the row as this one left it. That is what keeps two tills from refunding
/// one order past what was paid.
struct PostgresStatements: LedgerStatements {
    let statements: PostgresLink.Statements
    let store: String
    let till: String
    /// True in a write transaction: rows are read locked.
    let locking: Bool

    static let orderColumns = """
        id, provider, method, wallet, amount, currency, subject, status, masked_code, gateway_trade_id, \
        status_reason, attention, owner, received, created_at, updated_at
        """
    static let refundColumns = """
        id, order_id, sequence, amount, currency, reason, status, gateway_refund_id, status_reason, \
        created_at, updated_at, owner, origin
        """

    private var lock: String { locking ? " FOR UPDATE" : "" }

    func order(_ id: String) throws -> OrderRow? {
        try statements.rows("SELECT \(Self.orderColumns) FROM orders WHERE id = ? AND store_id = ?\(lock)",
                            [.text(id), .text(store)]).first.map(Self.orderRow)
    }

    func orderExists(_ id: String) throws -> Bool {
        // Any store's: an order number is the gateway's key, never taken twice in one database.
        try !statements.rows("SELECT 1 FROM orders WHERE id = ?", [.text(id)]).isEmpty
    }

    func insert(_ row: OrderRow) throws {
        try statements.run("""
            INSERT INTO orders (store_id, till, \(Self.orderColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(store), .text(till)] + Self.values(row))
    }

    func update(_ row: OrderRow) throws {
        try statements.run("""
            UPDATE orders SET status = ?, gateway_trade_id = ?, status_reason = ?, attention = ?, owner = ?,
                received = ?, updated_at = ?
            WHERE id = ? AND store_id = ?
            """, [.text(row.status), .text(row.gatewayTradeID), .text(row.statusReason), .text(row.attention),
                  .text(row.owner), .int(row.received), .int(row.updatedAt), .text(row.id), .text(store)])
    }

    func refund(_ id: String) throws -> RefundRow? {
        try statements.rows("""
            SELECT \(Self.prefixed(Self.refundColumns, "r")) FROM refunds r JOIN orders o ON o.id = r.order_id
            WHERE r.id = ? AND o.store_id = ?\(locking ? " FOR UPDATE OF r" : "")
            """, [.text(id), .text(store)]).first.map(Self.refundRow)
    }

    func refundExists(_ id: String) throws -> Bool {
        try !statements.rows("SELECT 1 FROM refunds WHERE id = ?", [.text(id)]).isEmpty
    }

    func refunds(ofOrder orderID: String) throws -> [RefundRow] {
        try statements.rows("SELECT \(Self.refundColumns) FROM refunds WHERE order_id = ? ORDER BY sequence",
                            [.text(orderID)]).map(Self.refundRow)
    }

    func insert(_ row: RefundRow) throws {
        try statements.run("""
            INSERT INTO refunds (\(Self.refundColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(row.id), .text(row.orderID), .int(row.sequence), .int(row.amount), .text(row.currency),
                  .text(row.reason), .text(row.status), .text(row.gatewayRefundID), .text(row.statusReason),
                  .int(row.createdAt), .int(row.updatedAt), .text(row.owner), .text(row.origin)])
    }

    func update(_ row: RefundRow) throws {
        try statements.run("""
            UPDATE refunds SET status = ?, gateway_refund_id = ?, status_reason = ?, owner = ?, updated_at = ? WHERE id = ?
            """, [.text(row.status), .text(row.gatewayRefundID), .text(row.statusReason), .text(row.owner),
                  .int(row.updatedAt), .text(row.id)])
    }

    func releaseRefund(_ id: String, owner: String) throws {
        try statements.run("UPDATE refunds SET owner = NULL WHERE id = ? AND owner = ?", [.text(id), .text(owner)])
    }

    func committedRefunds(ofOrder orderID: String) throws -> Int64 {
        try statements.rows("""
            SELECT COALESCE(SUM(amount), 0)::bigint FROM refunds
            WHERE order_id = ? AND status IN ('pending', 'unknown', 'refunded')
            """, [.text(orderID)])[0].int(0)
    }

    func lastRefundSequence(ofOrder orderID: String) throws -> Int64 {
        try statements.rows("SELECT COALESCE(MAX(sequence), 0)::bigint FROM refunds WHERE order_id = ?",
                            [.text(orderID)])[0].int(0)
    }

    func insertPayLink(token: String, orderID: String, credential: String, createdAt: Int64, expiresAt: Int64) throws {
        try statements.run("INSERT INTO pay_links (token, order_id, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(token), .text(orderID), .text(credential), .int(createdAt), .int(expiresAt)])
    }

    func payLinkCredential(token: String, now: Int64) throws -> String? {
        try statements.rows("""
            SELECT pay_links.credential FROM pay_links JOIN orders ON orders.id = pay_links.order_id
            WHERE pay_links.token = ? AND orders.status = 'pending' AND pay_links.expires_at > ?
            """, [.text(token), .int(now)]).first?.text(0)
    }

    func append(_ row: EventRow) throws {
        try statements.run("INSERT INTO events (order_id, refund_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)",
                           [.text(row.orderID), .text(row.refundID), .text(row.kind), .text(row.detail), .int(row.at)])
    }

    func events(ofOrder orderID: String) throws -> [EventRow] {
        try statements.rows("SELECT seq, order_id, refund_id, kind, detail, at FROM events WHERE order_id = ? ORDER BY seq",
                            [.text(orderID)]).map { row in
            EventRow(seq: try row.int(0), orderID: try row.optionalText(1), refundID: try row.optionalText(2),
                     kind: try row.text(3), detail: try row.text(4), at: try row.int(5))
        }
    }

    func record(_ row: AttemptRow) throws {
        try statements.run("""
            INSERT INTO attempts (id, order_id, operation, refund_id, started_at, finished_at, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome
            """, [.text(row.id), .text(row.orderID), .text(row.operation), .text(row.refundID), .int(row.startedAt),
                  .int(row.finishedAt), .text(row.outcome)])
    }

    func attempts(ofOrder orderID: String) throws -> [AttemptRow] {
        try statements.rows("""
            SELECT id, order_id, operation, refund_id, started_at, finished_at, outcome FROM attempts
            WHERE order_id = ? ORDER BY started_at, seq
            """, [.text(orderID)]).map { row in
            AttemptRow(id: try row.text(0), orderID: try row.text(1), operation: try row.text(2),
                       refundID: try row.optionalText(3), startedAt: try row.int(4), finishedAt: try row.optionalInt(5),
                       outcome: try row.text(6))
        }
    }

    /// `NOTIFY` on the store's channel with the order's number, sent by the server when the
    /// transaction commits (and never if it rolls back).
    func announceChange(ofOrder orderID: String) throws {
        try statements.run("SELECT pg_notify(?, ?)", [.text(PostgresListener.channel(store: store)), .text(orderID)])
    }

    func ownerIsAlive(_ owner: String) throws -> Bool {
        // A name no PostgreSQL till wrote (an order imported from SQLite) has no session to wait for.
        guard let session = PostgresLink.session(ofOwner: owner) else { return false }
        return try statements.sessionIsAlive(session)
    }

    // MARK: Rows

    static func orderRow(_ row: PostgresLink.Row) throws -> OrderRow {
        try OrderRow(id: row.text(0), provider: row.text(1), method: row.text(2), wallet: row.text(3), amount: row.int(4),
                     currency: row.text(5), subject: row.text(6), status: row.text(7), maskedCode: row.optionalText(8),
                     gatewayTradeID: row.optionalText(9), statusReason: row.optionalText(10), attention: row.optionalText(11),
                     owner: row.optionalText(12), received: row.optionalInt(13), createdAt: row.int(14), updatedAt: row.int(15))
    }

    static func refundRow(_ row: PostgresLink.Row) throws -> RefundRow {
        try RefundRow(id: row.text(0), orderID: row.text(1), sequence: row.int(2), amount: row.int(3), currency: row.text(4),
                      reason: row.text(5), status: row.text(6), gatewayRefundID: row.optionalText(7),
                      statusReason: row.optionalText(8), createdAt: row.int(9), updatedAt: row.int(10),
                      owner: row.optionalText(11), origin: row.text(12))
    }

    static func values(_ row: OrderRow) -> [SQLValue] {
        [.text(row.id), .text(row.provider), .text(row.method), .text(row.wallet), .int(row.amount), .text(row.currency),
         .text(row.subject), .text(row.status), .text(row.maskedCode), .text(row.gatewayTradeID), .text(row.statusReason),
         .text(row.attention), .text(row.owner), .int(row.received), .int(row.createdAt), .int(row.updatedAt)]
    }

    /// "r.id, r.order_id, …": a column list read through a table's alias.
    static func prefixed(_ columns: String, _ alias: String) -> String {
        columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }.joined(separator: ", ")
    }
}
