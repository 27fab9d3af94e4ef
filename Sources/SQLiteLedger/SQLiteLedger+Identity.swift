import Foundation
import GRDB
import Ledger
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why: a ledger file truncated to zero bytes (a bad shutdown, a careless copy) or swapped for
/// another opens as an empty, valid ledger, and the shop's history silently disappears. So each
/// ledger carries an identity (SQLite's `application_id`, set once), and before it holds its
/// first order a marker beside it (`<ledger>.identity`) remembers that identity; no order is
/// recorded while the marker cannot be written. A ledger that does not match its marker is
/// refused until the owner says the change is intended (by removing the marker, as the
/// message says).
extension SQLiteLedger {
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
            if orders > 0 { try writeIdentityMarker(identity, for: path) }
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

    /// This ledger's identity (SQLite's `application_id`), which tells it from any other ledger
    /// without naming its path; nil for an in-memory ledger, which has none.
    public func identity() throws(LedgerError) -> Int32? {
        guard path != nil else { return nil }
        return try read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
    }

    /// Remembers this ledger's identity beside it; written once it holds an order. Throws
    /// `.identityMarkerUnwritable` rather than carry on without it: a ledger whose marker is
    /// missing would open empty after a truncation, its history silently gone.
    ///
    /// Written to a new file, flushed, then renamed into place: a crash leaves no marker or the
    /// whole one, never half of it (which would refuse the right ledger).
    static func writeIdentityMarker(_ identity: Int32, for path: String) throws(LedgerError) {
        let marker = identityMarker(for: path)
        let text = Array("\(identity)\nThis file remembers which ledger belongs beside it. Remove it only to start a new ledger on purpose.\n".utf8)
        // A name of its own: two tasks or processes writing the same marker at once each rename a whole file.
        let temporary = marker + "." + UUID().uuidString.prefix(8) + ".tmp"
        func failed(_ action: String) -> LedgerError {
            .identityMarkerUnwritable(marker: marker, reason: "\(action): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failed("cannot create it") }
        var written = 0
        while written < text.count {
            let count = text[written...].withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = failed("cannot write it")
                systemClose(fd)
                unlink(temporary)
                throw error
            }
            written += count
        }
        guard fsync(fd) == 0 else {
            let error = failed("cannot flush it to disk")
            systemClose(fd)
            unlink(temporary)
            throw error
        }
        systemClose(fd)
        guard rename(temporary, marker) == 0 else {
            let error = failed("cannot put it in place")
            unlink(temporary)
            throw error
        }
    }

    /// Writes the marker before the first order this process records in a ledger without one,
    /// so an order is never recorded in a ledger that could lose it unnoticed.
    func rememberIdentityBeforeFirstOrder() throws(LedgerError) {
        guard let path, markerPending.withLock({ $0 }) else { return }
        if !FileManager.default.fileExists(atPath: Self.identityMarker(for: path)) {
            guard let own = try identity() else { return }
            try Self.writeIdentityMarker(own, for: path)
        }
        markerPending.withLock { $0 = false }
    }
}

// `Ledger` has `write` and `close` of its own: the system's, by other names.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemClose(_ fd: Int32) { _ = close(fd) }
