import CheckoutCore
import Foundation
import GRDB

/// Short pay links: `<public_url>/pay/<token>` stands for a QR order's credential where the
/// credential itself cannot be drawn (too long for the terminal, or an HTML form).
///
/// Promises: a token names one order's credential, and is given out once (its primary key);
/// it opens the credential only while that order is pending and before its expiry. Unknown,
/// ended and expired tokens read alike (nil), so an answer never tells whether a token exists.
extension Ledger {
    /// Writes `token` down as the link to `credential` of `order` (which must be in the ledger),
    /// usable until `expiresAt`, with an event on the order that names no token.
    public func recordPayLink(token: String, order: OrderID, credential: String, expiresAt: Date, at: Date) throws(LedgerError) {
        try write { db in
            guard try OrderRow.fetchOne(db, key: order.rawValue) != nil else { throw LedgerError.orderNotFound(order) }
            try db.execute(sql: "INSERT INTO pay_links (token, order_id, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [token, order.rawValue, credential, at.ledgerMillis, expiresAt.ledgerMillis])
            try EventRow(LedgerEvent(orderID: order, kind: .payLink, detail: "short pay link issued for the QR code", at: at)).insert(db)
        }
    }

    /// The credential `token` links to, when its order is still pending at `now` and the link
    /// has not expired; nil for a token that is unknown, ended or expired alike.
    public func payLinkCredential(token: String, at now: Date) throws(LedgerError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT pay_links.credential FROM pay_links JOIN orders ON orders.id = pay_links.order_id
                WHERE pay_links.token = ? AND orders.status = 'pending' AND pay_links.expires_at > ?
                """, arguments: [token, now.ledgerMillis])
        }
    }
}
