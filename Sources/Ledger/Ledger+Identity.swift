import Foundation
import GRDB

/// Why: a ledger file truncated to zero bytes (a bad shutdown, a careless copy) or swapped for
/// another opens as an empty, valid ledger, and the shop's history silently disappears. So each
/// ledger carries an identity (SQLite's `application_id`, set once), and once it holds an order
/// a marker beside it (`<ledger>.identity`) remembers that identity. A ledger that does not
/// match its marker is refused until the owner says the change is intended (by removing the
/// marker, as the message says).
extension Ledger {
    /// The marker file beside the ledger at `path`.
    static func identityMarker(for path: String) -> String { path + ".identity" }

    /// Gives a new ledger its identity, and refuses one that does not match the marker left by
    /// an earlier run that recorded orders. Call it under the open lock, after migrating.
    static func checkIdentity(_ writer: any DatabaseWriter, path: String) throws -> Void {
        let marker = identityMarker(for: path)
        let (identity, orders) = try writer.write { db -> (Int32, Int) in
            var identity = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            if identity == 0 {
                identity = Int32.random(in: 1...Int32.max)
                try db.execute(sql: "PRAGMA application_id = \(identity)")
            }
            return (identity, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM orders LIMIT 1)") ?? 0)
        }
        guard FileManager.default.fileExists(atPath: marker) else {
            if orders > 0 { writeIdentityMarker(identity, for: path) }
            return
        }
        // A marker that is there but cannot be read proves nothing either way: refuse, never overwrite.
        guard let text = try? String(contentsOfFile: marker, encoding: .utf8) else {
            throw LedgerError.cannotOpen(path: path, reason: "its identity marker \(marker) cannot be read; check its permissions")
        }
        let expected = Int32(text.split(separator: "\n").first.map(String.init) ?? "") ?? 0
        guard expected == identity else {
            throw LedgerError.ledgerReplaced(path: path, marker: marker, isEmpty: orders == 0)
        }
    }

    /// Remembers this ledger's identity beside it; written once it holds an order.
    static func writeIdentityMarker(_ identity: Int32, for path: String) {
        let text = "\(identity)\nThis file remembers which ledger belongs beside it. Remove it only to start a new ledger on purpose.\n"
        FileManager.default.createFile(atPath: identityMarker(for: path), contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Writes the marker the first time this process records an order in a ledger without one.
    func rememberIdentityOnce() {
        guard let path, markerPending.withLock({ pending in defer { pending = false }; return pending }) else { return }
        guard !FileManager.default.fileExists(atPath: Self.identityMarker(for: path)),
              let identity = try? writer.read({ try Int32.fetchOne($0, sql: "PRAGMA application_id") }) else { return }
        Self.writeIdentityMarker(identity ?? 0, for: path)
    }
}
