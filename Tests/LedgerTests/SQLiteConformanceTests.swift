import Foundation
import Ledger
import SQLiteLedger
import Testing
import TestSupport

@Suite("Ledger conformance: SQLite")
struct SQLiteConformanceTests {
    @Test(arguments: LedgerConformance.rules)
    func keeps(_ rule: LedgerConformanceRule) throws {
        let problems = try withTemporaryFolder { (folder: String) throws -> [String] in
            let path = folder + "/ledger.sqlite"
            return try rule.problems(LedgerSite { try SQLiteLedger(path: path) })
        }
        #expect(problems == [])
    }
}
