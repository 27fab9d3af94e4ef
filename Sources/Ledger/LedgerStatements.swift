import CheckoutCore
import Foundation

/// The reads and writes of one transaction, as a backend runs them: what the ledger's rules
/// (`LedgerBackend`'s write methods) are written against, so both backends keep the same rules.
///
/// Promises every backend keeps:
/// - all the statements given to one `LedgerBackend.transaction` body commit together or not at all;
/// - in a write transaction, a row read by `order` or `refund` stays as read until the
///   transaction ends: no other transaction changes it meanwhile (SQLite: one writer at a
///   time; PostgreSQL: the row is read `FOR UPDATE`);
/// - errors are thrown as they come; the backend turns them into `LedgerError` at the end.
package protocol LedgerStatements {
    func order(_ id: String) throws -> OrderRow?
    func orderExists(_ id: String) throws -> Bool
    func insert(_ row: OrderRow) throws
    func update(_ row: OrderRow) throws

    func refund(_ id: String) throws -> RefundRow?
    func refundExists(_ id: String) throws -> Bool
    /// The order's refunds, by sequence.
    func refunds(ofOrder orderID: String) throws -> [RefundRow]
    func insert(_ row: RefundRow) throws
    func update(_ row: RefundRow) throws
    /// Clears the refund's owner when it is `owner`.
    func releaseRefund(_ id: String, owner: String) throws
    /// The sum of the order's refunds that are pending, unknown or refunded.
    func committedRefunds(ofOrder orderID: String) throws -> Int64
    /// The highest refund sequence of the order; 0 when it has none.
    func lastRefundSequence(ofOrder orderID: String) throws -> Int64

    func append(_ row: EventRow) throws
    /// The order's events, in the order written.
    func events(ofOrder orderID: String) throws -> [EventRow]

    /// Inserts the attempt, or sets `finishedAt` and `outcome` of the one recorded under its id.
    func record(_ row: AttemptRow) throws
    /// The order's attempts, oldest first.
    func attempts(ofOrder orderID: String) throws -> [AttemptRow]

    /// Records `token` as the link to the order's `credential`, usable until `expiresAt`.
    func insertPayLink(token: String, orderID: String, credential: String, createdAt: Int64, expiresAt: Int64) throws
    /// The credential `token` links to, when its order is pending and the link has not
    /// expired at `now`; nil otherwise.
    func payLinkCredential(token: String, now: Int64) throws -> String?

    /// Tells the tills waiting on the order that it changed, when (and only if) this
    /// transaction commits: PostgreSQL's `NOTIFY`. Nothing on a backend whose tills read the
    /// row instead (SQLite).
    func announceChange(ofOrder orderID: String) throws

    /// True while the process that took owner name `owner` is alive. When it cannot be told,
    /// true: a live till must never be taken for dead.
    func ownerIsAlive(_ owner: String) throws -> Bool
}

/// A ledger whose rules are this module's: the backend supplies transactions, owners and
/// its own queries for listings and reports; the write methods come from here.
package protocol LedgerBackend: Ledger {
    /// Runs `body` in one transaction; any error rolls it back and is rethrown as a
    /// `LedgerError`. With `writing` false the transaction reads only and locks nothing.
    func transaction<T>(writing: Bool, _ body: (any LedgerStatements) throws -> T) throws(LedgerError) -> T

    /// Called before this process records an order, so the ledger can refuse to take one it
    /// could lose unnoticed (SQLite's identity marker).
    func prepareForOrder() throws(LedgerError)

    /// True while the process that took owner name `owner` is alive (outside a transaction).
    func ownerIsAlive(_ owner: String) -> Bool
}
