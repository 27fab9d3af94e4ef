import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

@Suite("Ledger: the file on disk")
struct LedgerFileTests {
    @Test func everythingSurvivesClosingAndReopening() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            var written: (order: Order, refund: Refund, events: [LedgerEvent], attempt: GatewayAttempt)
            do {
                let ledger = try SQLiteLedger(path: path)
                let paid = try paidOrder(in: ledger)
                let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(25_50), reason: "returned", at: base)
                let attempt = GatewayAttempt(orderID: paid.id, operation: .refund, refundID: refund.id, startedAt: base,
                                             finishedAt: base.addingTimeInterval(1), outcome: "inDoubt: timeout")
                try ledger.recordAttempt(attempt)
                written = (paid, refund, try ledger.events(for: paid.id), attempt)
                try ledger.close()
            }

            let reopened = try SQLiteLedger(path: path)

            #expect(reopened.path == path)
            #expect(try reopened.order(written.order.id) == written.order)
            #expect(try reopened.refunds(for: written.order.id) == [written.refund])
            #expect(try reopened.events(for: written.order.id) == written.events)
            #expect(try reopened.attempts(for: written.order.id) == [written.attempt])
            #expect(try reopened.refundableRemainder(of: written.order.id) == hkd(74_50))
            #expect(try reopened.unresolvedRefunds() == [written.refund])
        }
    }

    @Test func aFileLedgerIsInWALMode() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            try ledger.insert(try sampleOrder())

            let mode = try rawConnection(path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test func missingFoldersAreCreatedForTheTillsUserOnly() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/shop/till-1/ledger.sqlite"

            _ = try SQLiteLedger(path: path)

            let manager = FileManager.default
            for dir in [folder + "/shop", folder + "/shop/till-1"] {
                let mode = try manager.attributesOfItem(atPath: dir)[.posixPermissions] as? Int
                #expect(mode == 0o700, "\(dir)")
            }
            let fileMode = try manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(fileMode == 0o600)
        }
    }

    @Test func aPathUnderAFileGivesAClearError() throws {
        try withTemporaryFolder { folder in
            let blocker = folder + "/not-a-folder"
            #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
            let path = blocker + "/ledger.sqlite"

            let error = #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }

            guard case .cannotOpen(let reportedPath, let reason)? = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reportedPath == path)
            #expect(reason.contains("not-a-folder is a file, not a folder"))
            #expect(error?.description.hasPrefix("The ledger at \(path) cannot be opened") == true)
            #expect(error?.description.hasSuffix("Check the path and its permissions.") == true)
        }
    }

    @Test func aFolderThatCannotBeCreatedGivesTheSystemsReason() throws {
        // /proc refuses new folders even to root.
        let path = "/proc/shroff-ledger-test/ledger.sqlite"
        let error = #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }
        guard case .cannotOpen(_, let reason)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(reason.hasPrefix("the folder /proc/shroff-ledger-test cannot be created ("))
    }

    @Test func aFileThatIsNotALedgerIsRefusedUntouched() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/notes.txt"
            let text = String(repeating: "not a database, just the shop's notes\n", count: 50)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))

            let error = #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }

            guard case .cannotOpen(_, let reason)? = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("not a database"))
            let contents = try String(contentsOfFile: path, encoding: .utf8)
            #expect(contents == text)
        }
    }

    @Test func anInMemoryLedgerHasNoPath() throws {
        #expect(try SQLiteLedger.inMemory().path == nil)
    }

    @Test func aClosedLedgerRefusesWorkWithAStorageError() throws {
        try withTemporaryFolder { folder in
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            try ledger.close()
            let error = #expect(throws: LedgerError.self) { try ledger.order(try OrderID("S250615120000ABCDEF")) }
            guard case .storage? = error else {
                Issue.record("expected a storage error, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func aRowThatCannotBeReadBackIsReportedAsCorrupt() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let ledger = try SQLiteLedger(path: path)
            let order = try sampleOrder()
            try ledger.insert(order)

            // Damage another program could do: a currency that passes the schema's check but
            // that the till does not know, and a status written with the checks switched off.
            let raw = try rawConnection(path)
            try raw.write { db in
                try db.execute(sql: """
                    INSERT INTO orders (id, provider, method, wallet, amount, currency, subject, status,
                                        created_at, updated_at)
                    VALUES ('S250615120000XXX001', 'wantu', 'scan', 'wechat', 100, 'XXX', 'x', 'pending', 0, 0)
                    """)
            }
            try raw.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: "UPDATE orders SET status = 'lost' WHERE id = ?", arguments: [order.id.rawValue])
            }

            let currencyError = #expect(throws: LedgerError.self) { try ledger.order(try OrderID("S250615120000XXX001")) }
            let statusError = #expect(throws: LedgerError.self) { try ledger.order(order.id) }
            guard case .corrupt(let badCurrency)? = currencyError, case .corrupt(let badStatus)? = statusError else {
                Issue.record("expected corrupt, got \(String(describing: currencyError)), \(String(describing: statusError))")
                return
            }
            #expect(badCurrency.contains("currency \"XXX\""))
            #expect(badStatus.contains("status \"lost\""))
            #expect(throws: LedgerError.self) { try ledger.orders(createdFrom: .distantPast, to: .distantFuture) }
        }
    }

    @Test func storageErrorsGiveAdviceWithoutSQL() {
        let full = LedgerError.storage(path: "/var/shroff/ledger.sqlite", code: 13, message: "database or disk is full")
        #expect(full.description == "The ledger at /var/shroff/ledger.sqlite cannot grow: the disk is full. Free some space, then try again.")
        let busy = LedgerError.storage(path: nil, code: 5, message: "database is locked")
        #expect(busy.description.hasPrefix("The in-memory ledger is busy"))
    }
}
