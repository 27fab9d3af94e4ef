import CheckoutCore
import Foundation

/// Everything the ledger can refuse or fail at, each with a message a cashier or the shop's
/// owner can act on.
///
/// Messages name orders, refunds and amounts, which are not secret, but never carry SQL
/// statement arguments, payment codes or keys.
public enum LedgerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be created or opened (`reason` says why).
    case cannotOpen(path: String, reason: String)
    /// An order with this number is already written down; the first one is unchanged.
    case duplicateOrder(OrderID)
    case orderNotFound(OrderID)
    /// The order has reached a final status and cannot become `requested`.
    case orderIsFinal(OrderID, status: OrderStatus, requested: OrderStatus)
    /// Only a paid order can be refunded.
    case orderNotPaid(OrderStatus)
    /// The refund asked for more than is left to refund on the order.
    case refundExceedsRemainder(requested: Money, remaining: Money)
    /// The refund's currency is not the order's.
    case currencyMismatch(order: Currency, requested: Currency)
    /// Orders and refunds carry a positive amount.
    case amountNotPositive(Money)
    case refundNotFound(RefundID)
    /// The refund has reached a final status and cannot become `requested`.
    case refundIsFinal(RefundID, status: RefundStatus, requested: RefundStatus)
    /// A Z report for this day was already made (at `closedAt`); a day is closed once.
    case dayAlreadyClosed(day: String, closedAt: Date)
    /// The day cannot be closed while these orders, or refunds of them, are pending or unknown.
    case dayHasOpenOrders(day: String, orders: [OrderID])
    /// Orders were taken or settled after the report was computed; it no longer matches the ledger.
    case dayChanged(day: String)
    /// A verified notification does not match the order it names (provider, amount, currency):
    /// it is not applied.
    case notificationMismatch(OrderID, String)
    /// A verified notification names a gateway trade, but the ledger has recorded none for the
    /// order, and the gateway binds notifications by trade: it is applied only once the gateway
    /// itself confirms the trade is this order's.
    case tradeUnconfirmed(OrderID, trade: String)
    /// A verified notification names a gateway trade that is not the one recorded for the order
    /// (another merchant's charge reusing our order number): it can never apply.
    case foreignTrade(OrderID, String)
    /// A verified refund notification names no refund of ours, but may be one of ours still in
    /// doubt whose gateway refund id the till has not learnt: it is applied to none (never by
    /// elimination) and not recorded as made elsewhere, until a name settles which it is.
    case refundUnbound(OrderID, String)
    /// The ledger is not the one this till recorded orders in (emptied, truncated or swapped):
    /// refused, so no sale is taken into a book that lost its history.
    case ledgerReplaced(path: String, marker: String, isEmpty: Bool)
    /// The ledger's identity marker could not be written (`reason` is the system's words);
    /// nothing was recorded.
    case identityMarkerUnwritable(marker: String, reason: String)
    /// The ledger's disk has too little room to record a sale; nothing was sent.
    case diskNearlyFull(path: String, freeBytes: UInt64)
    /// A stored row cannot be read back as an order, refund, attempt or event.
    case corrupt(String)
    /// SQLite failed: `code` is its extended result code, `message` its own words (no arguments).
    case storage(path: String?, code: Int32, message: String)
    /// The shop's ledger server cannot be reached (`reason` says why): nothing was recorded
    /// and nothing was sent.
    case serverUnreachable(server: String, reason: String)
    /// The ledger server refused or failed a statement: `sqlState` is PostgreSQL's error code,
    /// `message` its own words (never the statement's arguments).
    case server(server: String, sqlState: String, message: String)
    /// The ledger's schema is at `found`, newer than the `known` this shroff can use: a newer
    /// shroff has migrated it.
    case schemaTooNew(server: String, found: Int, known: Int)
    /// Another machine (`host`) runs a till under the same name in this store.
    case tillNameTaken(till: String, store: String, host: String)
    /// An imported order's number is taken by another sale in the ledger it is imported into.
    case importConflict(OrderID)
    /// No till of this name has used the store's ledger; `known` are the names that have.
    case unknownTill(String, known: [String])

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "The ledger at \(path) cannot be opened: \(reason). Check the path and its permissions."
        case .duplicateOrder(let id):
            return "Order \(id) is already in the ledger; it was not written again. Start a new sale for a new order number."
        case .orderNotFound(let id):
            return "The ledger has no order \(id). Check the order number on the receipt or with `shroff orders`."
        case .orderIsFinal(let id, let status, let requested):
            return "Order \(id) is already \(status.rawValue) and cannot become \(requested.rawValue). Nothing was changed; check the order with the gateway if this is unexpected."
        case .orderNotPaid(let status):
            return "Only a paid order can be refunded; this order is \(status.rawValue)."
        case .refundExceedsRemainder(let requested, let remaining):
            return "A refund of \(requested) is more than is left to refund on this order (\(remaining)). Refund at most \(remaining.decimalString)."
        case .currencyMismatch(let order, let requested):
            return "The order was paid in \(order.code), so it cannot be refunded in \(requested.code). Enter the refund in \(order.code)."
        case .amountNotPositive(let money):
            return "The amount must be more than zero (got \(money))."
        case .refundNotFound(let id):
            return "The ledger has no refund \(id). Check the refund number with `shroff refunds`."
        case .refundIsFinal(let id, let status, let requested):
            return "Refund \(id) is already \(status.rawValue) and cannot become \(requested.rawValue). Nothing was changed."
        case .dayAlreadyClosed(let day, let closedAt):
            return "The day \(day) was already closed (Z report made at \(Self.isoFormat(closedAt))). A day is closed once; print an X report to see its figures."
        case .dayHasOpenOrders(let day, let orders):
            let shown = orders.prefix(5).map(\.rawValue).joined(separator: ", ")
            let more = orders.count > 5 ? " and \(orders.count - 5) more" : ""
            return "The day \(day) cannot be closed: \(orders.count == 1 ? "order" : "orders") \(shown)\(more) \(orders.count == 1 ? "has" : "have") a payment or refund still pending or unknown. Re-query \(orders.count == 1 ? "it" : "them") from the history screen until each is paid, declined, cancelled or expired, then make the Z report again."
        case .dayChanged(let day):
            return "The orders of \(day) changed while the Z report was being made. Nothing was closed; make the Z report again."
        case .tradeUnconfirmed(let id, let trade):
            return "A notification about order \(id) names trade \(trade), which the ledger has not recorded for it; it waits until the gateway confirms that trade is this order's. Nothing was changed."
        case .foreignTrade(let id, let why):
            return "A notification about order \(id) was not applied: \(why). It is not this order's payment; nothing was changed."
        case .refundUnbound(let id, let why):
            return "A refund notification about order \(id) was not applied: \(why). Nothing was changed; settle the refund with `shroff refund \(id)` or check it in the gateway's back office."
        case .notificationMismatch(let id, let why):
            return "A notification about order \(id) was not applied: \(why). Nothing was changed; check the order with `shroff status \(id)`."
        case .ledgerReplaced(let path, let marker, let isEmpty):
            let what = isEmpty ? "is empty, but this till has recorded orders in it before: it may have been truncated or replaced" : "is not the ledger this till recorded its orders in"
            return "The ledger at \(path) \(what). Nothing was changed. Restore the ledger from a backup; if a new ledger is intended, remove \(marker) and start again."
        case .identityMarkerUnwritable(let marker, let reason):
            return "The ledger's identity marker \(marker) could not be written (\(reason)), so nothing was recorded and nothing was sent: without it, a ledger emptied by accident would go unnoticed. Check that the ledger's folder can be written and its disk has room, then try again."
        case .diskNearlyFull(let path, let free):
            return "The disk holding the ledger \(path) is nearly full (\(free / 1024) KiB free), so no sale was started and nothing was sent. Free some space, then take the payment again."
        case .corrupt(let what):
            return "The ledger holds a record it cannot read (\(what)). Stop taking payments and restore the ledger from a backup, or contact support."
        case .storage(let path, let code, let message):
            return Self.storageAdvice(place: path.map { "The ledger at \($0)" } ?? "The in-memory ledger",
                                      code: code, message: message)
        case .serverUnreachable(let server, let reason):
            return "The shop's ledger server \(server) cannot be reached (\(reason)). Nothing was recorded and nothing was sent. Check the network cable and that the server is running, then try again."
        case .server(let server, let sqlState, let message):
            return Self.serverAdvice(server: server, sqlState: sqlState, message: message)
        case .schemaTooNew(let server, let found, let known):
            return "The shop's ledger on \(server) was set up by a newer shroff (schema version \(found); this shroff knows up to \(known)). Nothing was changed. Update shroff on this till to the version the other tills run."
        case .importConflict(let id):
            return "Order \(id) is already in the shop's ledger as another sale (its amount, gateway or time differ). Nothing was imported. Check both orders with `shroff status \(id)` on each ledger before importing again."
        case .unknownTill(let till, let known):
            return "No till named \"\(till)\" has used this store's ledger; the store's tills are \(known.joined(separator: ", ")). Nothing was read or changed; give one of those names, or --all-tills."
        case .tillNameTaken(let till, let store, let host):
            return "Another machine (\(host)) is running a till named \"\(till)\" in store \(store). Each counter needs a name of its own: set a different `till` in the [store] table of this till's configuration."
        }
    }

    private static func storageAdvice(place: String, code: Int32, message: String) -> String {
        // Primary result code: the low byte of SQLite's extended code.
        switch code & 0xFF {
        case 5, 6:  // SQLITE_BUSY, SQLITE_LOCKED
            return "\(place) is busy: another program is using it (\(message)). Try again in a moment; if it persists, close the other program."
        case 13:  // SQLITE_FULL
            return "\(place) cannot grow: the disk is full. Free some space, then try again."
        case 3, 8, 14:  // SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN
            return "\(place) cannot be written (\(message)). Check the file's and its folder's permissions, and that the disk is mounted read-write."
        case 10:  // SQLITE_IOERR
            return "\(place) could not be read or written: disk error (\(message)). Check the disk."
        case 11, 26:  // SQLITE_CORRUPT, SQLITE_NOTADB
            return "\(place) is damaged (\(message)). Stop taking payments and restore it from a backup."
        case 19:  // SQLITE_CONSTRAINT
            return "\(place) refused a record that breaks its rules (\(message)). Nothing was written; this is a fault in the till, report it."
        case 21:  // SQLITE_MISUSE: used after close()
            return "\(place) is closed (\(message)). Restart the till."
        default:
            return "\(place) failed (SQLite code \(code): \(message))."
        }
    }

    private static func serverAdvice(server: String, sqlState: String, message: String) -> String {
        let place = "The shop's ledger server \(server)"
        switch sqlState.prefix(2) {
        case "08", "57":  // connection exceptions; operator intervention (shutdown, restart)
            return "\(place) dropped the connection (\(message)). Try again in a moment; if it persists, check the server."
        case "28":  // invalid authorization
            return "\(place) refused this till's login (\(message)). Check the user in the [ledger] url and its password (password_env or password_file)."
        case "23":  // integrity constraint violation
            return "\(place) refused a record that breaks its rules (\(message)). Nothing was written; this is a fault in the till, report it."
        case "40":  // serialization failure, deadlock
            return "\(place) was busy with another till's change to the same order (\(message)). Nothing was written; try again."
        case "53":  // insufficient resources
            return "\(place) is out of room (\(message)). Free space on the server, then try again."
        default:
            return "\(place) failed (PostgreSQL code \(sqlState): \(message))."
        }
    }

    /// "2026-11-22T14:03:05Z": unambiguous whatever the store's time zone.
    private static func isoFormat(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
