import CheckoutCore
import Foundation

/// The shop's book of record: orders, the requests sent for them, refunds, and an event log.
///
/// Two backends keep it: `SQLiteLedger`, one file on the till's machine (the default), and
/// `PostgresLedger`, one database for every till of a shop. Both keep the same promises, and
/// one conformance suite (TestSupport's `LedgerConformance`) holds each to them:
/// - Every order is written down (`insert`) before its request leaves for the gateway.
/// - Every change of an order's or a refund's status, and any gateway answer the till
///   reports, is appended to an event log that the database itself refuses to update or delete.
/// - A `paid` order never becomes anything else; refunds never add up to more than was paid
///   (pending and unknown refunds count, since they may have gone through), checked with the
///   order locked, so two tills refunding one order at once cannot both pass.
/// - Each write method is one transaction: it happens entirely or not at all.
/// - A notification is applied in one transaction, and applying it again changes nothing.
///   One that changes an order is announced to tills waiting on it (`news(of:)`) once committed.
/// - Amounts are integer minor units with their currency; dates are kept to the millisecond.
/// - Payment codes are stored masked only, and free text is scrubbed of anything shaped like
///   a payment code. Keys are never stored.
/// - An open order belongs to the live till process that started it (`ownerID`); another
///   takes it over (`claim`) only once that process is dead, and the same for unsettled refunds.
///
/// Safe to share between tasks and between processes. Every method blocks its caller until
/// the database answers, as a file system call does.
public protocol Ledger: AnyObject, Sendable {
    /// Where the ledger lives, for messages and logs: a file's path, or a server's address
    /// without its password. "memory" for a ledger that lives in memory only.
    var location: String { get }

    /// The name this process's orders carry as their owner; nil when no other process can
    /// see the ledger (in memory).
    var ownerID: String? { get }

    /// The name of the till this process records its orders as: `[store] till`. An SQLite
    /// ledger is one till's, and every order in it reads as this till's.
    var till: String { get }

    /// Gives up this process's hold on its orders, so they may be taken over, and closes the
    /// database. Any later call fails. A second `close()` does nothing.
    func close() throws(LedgerError)

    /// This ledger's identity, which tells it from any other ledger without naming where it
    /// lives; nil for a ledger in memory.
    func identity() throws(LedgerError) -> Int32?

    /// Refuses to start a sale when the ledger cannot take its writes (a disk with less than
    /// `minimum` bytes free).
    func checkRoomForASale(minimum: UInt64) throws(LedgerError)

    // MARK: Orders

    /// Writes a new order down, with a `created` event. Call it before the order's first
    /// request leaves, so a crash never leaves a payment the ledger does not know.
    ///
    /// The payment code is stored masked whatever `order.maskedCode` holds. The order belongs
    /// to this process (`claim`) until it ends.
    /// Throws `.duplicateOrder` when the number is taken (the stored order is unchanged).
    func insert(_ order: Order) throws(LedgerError)

    func order(_ id: OrderID) throws(LedgerError) -> Order?

    /// Moves an order to `status` and appends a `status` event, in one transaction.
    ///
    /// From `pending` or `unknown` any status may follow. A final status never changes:
    /// the same status again (a late duplicate answer) is accepted, logged and changes
    /// nothing else; any other throws `.orderIsFinal`. So a `paid` order stays paid.
    /// A nil `gatewayTradeID` keeps the one already known; `reason` replaces the old one.
    @discardableResult
    func updateOrder(_ id: OrderID, status: OrderStatus, gatewayTradeID: String?, reason: String?,
                     at: Date) throws(LedgerError) -> Order

    /// Orders created in `createdFrom ..< to`, newest first.
    func orders(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Order]

    /// Orders whose status is in `statuses`, newest first.
    func orders(withStatus statuses: Set<OrderStatus>) throws(LedgerError) -> [Order]

    /// Flags an order for a person, keeping any flag it has, with an event; the status is kept.
    func flag(_ id: OrderID, attention: String, at: Date) throws(LedgerError)

    // MARK: Owners

    /// Makes this process the owner of an open order, unless another live process owns it.
    ///
    /// True when the order is now this process's: it had no owner, was already ours, or its
    /// owner has died (a `taken-over` event is written); also true, changing nothing, for an
    /// order that is already final. False while another process runs it: do not query,
    /// cancel or close it then. One transaction, so two processes racing for a dead owner's
    /// order never both win.
    func claim(_ id: OrderID, at: Date) throws(LedgerError) -> Bool

    /// True while a live process other than this one owns `order`: it is in progress there.
    func isInProgressElsewhere(_ order: Order) -> Bool

    /// Makes this process the one sending a refund that is not settled, unless another live
    /// process is sending it; the same rule as `claim` for orders.
    func claimRefund(_ id: RefundID, at: Date) throws(LedgerError) -> Bool

    /// Lets go of a refund this process has stopped sending (settled, or left unknown for a
    /// later run): any shroff may retry it now. A refund another process owns is left alone.
    func releaseRefund(_ id: RefundID) throws(LedgerError)

    /// True while a live process other than this one is sending `refund`.
    func isInProgressElsewhere(_ refund: Refund) -> Bool

    // MARK: Requests and events

    /// Records a request to a gateway. Recording again under the same `id` sets its
    /// `finishedAt` and `outcome` (the rest of a recorded attempt never changes).
    func recordAttempt(_ attempt: GatewayAttempt) throws(LedgerError)

    /// The requests sent for an order, oldest first.
    func attempts(for orderID: OrderID) throws(LedgerError) -> [GatewayAttempt]

    /// Appends `event` to the log. The order and refund it names must be in the ledger;
    /// a refund's own order is filled in when only the refund is named.
    func appendEvent(_ event: LedgerEvent) throws(LedgerError)

    /// The order's events (its refunds' included), in the order they were written.
    func events(for orderID: OrderID) throws(LedgerError) -> [LedgerEvent]

    // MARK: Refunds

    /// Writes a new refund down as `pending`, with its number, in one transaction: call it
    /// before the refund request leaves, and retry the request under the returned `id`.
    ///
    /// The order must exist and be paid; `amount` must be positive, in the order's currency,
    /// and at most the refundable remainder, read with the order locked. The number is the
    /// order's next: `<order>R1`, `R2`… The refund belongs to this process (`claimRefund`)
    /// until it lets it go (`releaseRefund`).
    func beginRefund(orderID: OrderID, amount: Money, reason: String, at: Date) throws(LedgerError) -> Refund

    /// Moves a refund to `status` and appends a `refundStatus` event, in one transaction.
    ///
    /// `refunded` and `failed` are final: the same status again is accepted, logged and
    /// changes nothing else; any other throws `.refundIsFinal`. A nil `gatewayRefundID`
    /// keeps the one already known; `reason` replaces the old one.
    @discardableResult
    func updateRefund(_ id: RefundID, status: RefundStatus, gatewayRefundID: String?, reason: String?,
                      at: Date) throws(LedgerError) -> Refund

    /// The order's refunds, in the order they were made.
    func refunds(for orderID: OrderID) throws(LedgerError) -> [Refund]

    /// Refunds made in [start, end), of any order, oldest first.
    func refunds(createdFrom start: Date, to end: Date) throws(LedgerError) -> [Refund]

    /// What can still be refunded: the paid amount less every refund that is pending,
    /// unknown or refunded. Zero for an order that is not paid.
    func refundableRemainder(of orderID: OrderID) throws(LedgerError) -> Money

    /// Refunds whose outcome is not known yet (pending or unknown), oldest first: the till
    /// asks the gateway about these, under the same refund number.
    func unresolvedRefunds() throws(LedgerError) -> [Refund]

    // MARK: Notifications

    /// Applies a verified payment notification in one transaction; see `LedgerRules` for
    /// what each verdict does to an order in each status.
    func applyNotification(_ notification: LedgerNotification) throws(LedgerError) -> NotificationOutcome

    /// Applies a verified refund notification in one transaction.
    func applyRefundNotification(_ notification: LedgerRefundNotification) throws(LedgerError) -> NotificationOutcome

    /// News of order `id` for a till waiting on it: `.changed` soon after the commit of any
    /// notification applied to it, by any process on any machine, and whether the ledger can
    /// announce that at all (`OrderNews`). The stream ends when the ledger closes; a ledger that
    /// never announces (SQLite: every till of it is on one machine, where reading the row is
    /// cheap) returns one that ends at once, and the till reads the row at its own interval.
    /// Ending the iteration ends the subscription.
    func news(of id: OrderID) -> AsyncStream<OrderNews>

    /// The order that `provider` made as its trade `gatewayTradeID` since `since`, when the
    /// ledger recorded it (exactly one order).
    func orderID(ofTrade gatewayTradeID: String, provider: String, since: Date) throws(LedgerError) -> OrderID?

    // MARK: Pay links

    /// Writes `token` down as the short pay link (`<public_url>/pay/<token>`) to `credential` of
    /// `order` (which must be in the ledger), usable until `expiresAt`, with an event on the
    /// order that names no token. A token names one order's credential and is given out once.
    func recordPayLink(token: String, order: OrderID, credential: String, expiresAt: Date, at: Date) throws(LedgerError)

    /// The credential `token` links to, while its order is pending at `now` and the link has
    /// not expired; nil for a token that is unknown, ended or expired alike, so an answer never
    /// tells whether a token exists.
    func payLinkCredential(token: String, at now: Date) throws(LedgerError) -> String?

    // MARK: Listings and days

    /// The tills of this store that have used the ledger, this one included, by name (sorted).
    func tills() throws(LedgerError) -> [String]

    /// Orders of `tills` created in `start ..< end`, newest first, each with its till and
    /// refund sums: one query.
    func listedOrders(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [ListedOrder]

    /// One page of the history: at most `limit` orders matching `search`, newest first (by
    /// creation time, then number), starting after `cursor` (from the first when nil). Pages
    /// are keyed, not counted: an order written meanwhile never shifts a page.
    func historyPage(_ search: OrderSearch, after cursor: OrderCursor?, limit: Int) throws(LedgerError) -> [ListedOrder]

    /// Orders of `tills` created in `start ..< end` still pending or unknown, and their orders
    /// with a refund made then still pending or unknown, oldest first: what must be settled
    /// before the day's Z.
    func openOrderIDs(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> [OrderID]

    /// The day's orders of `tills`, the refunds made in the day of their orders, and the
    /// orders of earlier days those refunds belong to (for their wallet), read in one
    /// transaction. A refund counts with its order's till, whichever till sent it.
    func dayActivity(createdFrom start: Date, to end: Date, tills: TillScope) throws(LedgerError) -> (orders: [Order], refunds: [Refund])

    /// Closes one till's day (the Z report: `closure.till`, nil for this till), in one transaction.
    ///
    /// Refuses with `.dayAlreadyClosed` when the till's day has a closure already, with
    /// `.dayHasOpenOrders` (naming them) while any of its orders of the day, or a refund of
    /// one, is pending or unknown, and with `.dayChanged` when the closure's counts or totals
    /// no longer match the till's orders and refunds for `start ..< end`. Nothing is written
    /// when it refuses. Each till closes its own day: two tills closing at once each count
    /// their own orders, and no order or refund is in two closures.
    @discardableResult
    func closeDay(_ closure: DayClosure) throws(LedgerError) -> DayClosure

    /// The closure of `till`'s `day` ("yyyy-MM-dd"), or nil while that day is open.
    func dayClosure(day: String, till: String) throws(LedgerError) -> DayClosure?

    /// Writes many finished orders and their refunds at once, as given (statuses and dates
    /// included), each with its `created` or `refund` event saying it was imported. One
    /// transaction; the ledger's rules hold as for one-by-one writes. For tests, benchmarks
    /// and moving a shop's history, not for a till at work.
    func importHistory(orders: [Order], refunds: [Refund]) throws(LedgerError)
}

/// Room a sale needs on the ledger's disk, unless the caller says otherwise.
public enum LedgerRoom {
    /// A new sale's order, attempts, events and the WAL's growth take a few kilobytes; this
    /// leaves a wide margin for the rest of the day.
    public static let forASale: UInt64 = 4 << 20
}

extension Ledger {
    /// The history's first page, or the page after `cursor`, of every order.
    public func historyPage(after cursor: OrderCursor? = nil, limit: Int) throws(LedgerError) -> [ListedOrder] {
        try historyPage(OrderSearch(), after: cursor, limit: limit)
    }

    /// This till's orders created in `start ..< end`, as `listedOrders(createdFrom:to:tills:)`.
    public func listedOrders(createdFrom start: Date, to end: Date) throws(LedgerError) -> [ListedOrder] {
        try listedOrders(createdFrom: start, to: end, tills: .till(till))
    }

    /// This till's day, as `dayActivity(createdFrom:to:tills:)`.
    public func dayActivity(createdFrom start: Date, to end: Date) throws(LedgerError) -> (orders: [Order], refunds: [Refund]) {
        try dayActivity(createdFrom: start, to: end, tills: .till(till))
    }

    /// This till's open orders of the day, as `openOrderIDs(createdFrom:to:tills:)`.
    public func openOrderIDs(createdFrom start: Date, to end: Date) throws(LedgerError) -> [OrderID] {
        try openOrderIDs(createdFrom: start, to: end, tills: .till(till))
    }

    /// The closure of this till's `day`.
    public func dayClosure(day: String) throws(LedgerError) -> DayClosure? {
        try dayClosure(day: day, till: till)
    }

    /// The first page of the orders matching `search`.
    public func historyPage(_ search: OrderSearch, limit: Int) throws(LedgerError) -> [ListedOrder] {
        try historyPage(search, after: nil, limit: limit)
    }
}
