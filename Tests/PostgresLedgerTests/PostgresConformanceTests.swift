import Foundation
import Ledger
import PostgresLedger
import Testing
import TestSupport

@Suite("Ledger conformance: PostgreSQL")
struct PostgresConformanceTests {
    @Test(arguments: LedgerConformance.rules)
    func keeps(_ rule: LedgerConformanceRule) async throws {
        let server = try await PostgresServer.shared()
        let settings = PostgresFixture.settings(server, database: try server.makeDatabase())
        let database = settings.database
        let site = LedgerSite(open: { try PostgresLedger(settings: settings) },
                              openTill: { try PostgresLedger(settings: PostgresFixture.settings(server, database: database, till: $0)) })
        let problems = try rule.problems(site)
        #expect(problems == [])
    }
}
