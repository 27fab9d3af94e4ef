import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing

/// A ledger emptied or swapped behind the till's back is noticed, not taken as a fresh start.
@Suite("Ledger: a ledger that lost its history is refused")
struct LedgerIdentityTests {
    /// Truncates the ledger file to zero bytes, as a bad shutdown or a careless copy can.
    func truncate(_ path: String) throws {
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.close()
    }

    @Test func aLedgerTruncatedToZeroBytesAfterItHeldOrdersIsRefusedUntilTheMarkerIsRemoved() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            try ledger.insert(try sampleOrder())
            try ledger.close()
            try truncate(path)

            #expect {
                _ = try SQLiteLedger(path: path)
            } throws: { error in
                guard case LedgerError.ledgerReplaced(path, path + ".identity", isEmpty: true) = error else { return false }
                let message = "\(error)"
                return message.contains("is empty") && message.contains("remove \(path).identity")
            }

            // The owner says a new ledger is intended.
            try FileManager.default.removeItem(atPath: path + ".identity")
            let fresh = try SQLiteLedger(path: path)
            defer { try? fresh.close() }
            #expect(try fresh.orders(withStatus: Set(OrderStatus.allCases)).isEmpty)
        }
    }

    @Test func anotherLedgerCopiedInPlaceIsRefusedToo() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let other = folder + "/other.sqlite"
            for file in [path, other] {
                let ledger = try SQLiteLedger(path: file)
                try ledger.insert(try sampleOrder())
                try ledger.close()
            }
            try truncate(path)  // also removes its WAL, which would otherwise be replayed onto the copy
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: other, toPath: path)

            #expect {
                _ = try SQLiteLedger(path: path)
            } throws: { error in
                guard case LedgerError.ledgerReplaced(_, _, isEmpty: false) = error else { return false }
                return "\(error)".contains("is not the ledger this till recorded its orders in")
            }
        }
    }

    @Test func aLedgerThatNeverHeldAnOrderMayBeEmptiedFreely() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            try SQLiteLedger(path: path).close()
            #expect(!FileManager.default.fileExists(atPath: path + ".identity"))
            try truncate(path)
            try SQLiteLedger(path: path).close()
        }
    }

    @Test func theSameLedgerReopenedOrRestoredFromABackupOpens() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let order = try sampleOrder()
            try ledger.insert(order)
            try ledger.close()
            try FileManager.default.copyItem(atPath: path, toPath: folder + "/backup.sqlite")
            try truncate(path)
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: folder + "/backup.sqlite", toPath: path)

            let restored = try SQLiteLedger(path: path)
            defer { try? restored.close() }
            #expect(try restored.order(order.id) != nil)
        }
    }

    // MARK: The marker is written, or nothing is recorded

    /// A ledger whose own name fits the file system (247 bytes, as do its `-wal`, `-journal`
    /// and `.owners` companions) but whose marker's name does not (`.identity` makes it 256):
    /// the marker cannot be written, even by root, and the system says so (ENAMETOOLONG).
    static func unmarkableLedgerName() -> String { String(repeating: "l", count: 240) + ".sqlite" }

    @Test func noOrderIsRecordedWhileTheIdentityMarkerCannotBeWritten() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/" + Self.unmarkableLedgerName()
            let ledger = try SQLiteLedger(path: path)
            defer { try? ledger.close() }
            let order = try sampleOrder()

            #expect {
                try ledger.insert(order)
            } throws: { error in
                guard case LedgerError.identityMarkerUnwritable(path + ".identity", _) = error else { return false }
                let message = "\(error)"
                return message.contains("could not be written") && message.contains("nothing was recorded")
                    && message.contains("File name too long")
            }
            #expect(try ledger.order(order.id) == nil, "the order was recorded in a ledger that could lose it unnoticed")
        }
    }

    @Test func aLedgerWithOrdersIsNotOpenedWhileItsMissingMarkerCannotBeWritten() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            try ledger.insert(try sampleOrder())
            try ledger.close()
            try FileManager.default.removeItem(atPath: path + ".identity")
            let moved = folder + "/" + Self.unmarkableLedgerName()
            try FileManager.default.moveItem(atPath: path, toPath: moved)

            #expect {
                _ = try SQLiteLedger(path: moved)
            } throws: { error in
                guard case LedgerError.identityMarkerUnwritable(moved + ".identity", _) = error else { return false }
                return "\(error)".contains("File name too long")
            }
        }
    }
}
