import CheckoutCore
import Foundation
import Ledger
import PostgresLedger
import Testing
import TestSupport

/// The shop's database server stopped and started in the middle of the day, under a till that
/// keeps running: nothing committed is lost, a sale tried while it is down is refused before
/// anything is recorded, and the till carries on once it is back without being restarted.
@Suite("PostgreSQL ledger: the server restarts mid-day", .serialized)
struct PostgresRestartTests {
    static let start = Date(timeIntervalSince1970: 1_765_000_000)

    static func order(_ number: Int) throws -> Order {
        Order(id: try OrderID(String(format: "S251206120000%06d", number)), provider: "wantu", method: .scan, wallet: .wechat,
              amount: Money(minorUnits: 12_30, currency: .hkd), subject: "Two coffees", maskedCode: "1345**********6789",
              createdAt: start)
    }

    /// Calls `body` until it stops throwing, for at most `seconds`: the time a till's next
    /// command may take to find the server back.
    static func eventually<T>(within seconds: Double, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            do { return try body() } catch where Date() < deadline { usleep(100_000) }
        }
    }

    @Test func aRestartLosesNothingAndASaleWhileItIsDownIsRefusedBeforeItIsRecorded() async throws {
        let server = try await PostgresServer.own()
        defer { server.remove() }
        let database = try server.makeDatabase()
        let ledger = try PostgresLedger(settings: PostgresFixture.settings(server, database: database))
        defer { try? ledger.close() }

        // The morning: one sale paid.
        let morning = try Self.order(1)
        try ledger.insert(morning)
        _ = try ledger.updateOrder(morning.id, status: .paid, gatewayTradeID: "T1", reason: nil, at: Self.start + 2)

        // The server goes down: the next sale cannot be written down, so it must not be sent.
        try server.halt()
        let down = try Self.order(2)
        let refused = #expect(throws: LedgerError.self) { try ledger.insert(down) }
        guard case .serverUnreachable = refused else {
            Issue.record("expected serverUnreachable, the cashier's \"cannot reach the shop's ledger server\", got \(String(describing: refused))")
            return
        }

        // It comes back: the same ledger, without a restart of the till, has the morning and
        // takes the next sale; the sale refused while it was down was never recorded.
        try server.resume()
        let kept = try Self.eventually(within: 60) { try ledger.order(morning.id) }
        #expect(kept?.status == .paid)
        #expect(kept?.gatewayTradeID == "T1")
        #expect(try ledger.order(down.id) == nil)
        let afternoon = try Self.order(3)
        try ledger.insert(afternoon)
        _ = try ledger.updateOrder(afternoon.id, status: .paid, gatewayTradeID: "T3", reason: nil, at: Self.start + 60)

        // Another process opening the ledger now sees the whole day.
        let other = try PostgresLedger(settings: PostgresFixture.settings(server, database: database, till: "counter-2"))
        defer { try? other.close() }
        #expect(try other.order(morning.id)?.status == .paid)
        #expect(try other.order(afternoon.id)?.status == .paid)
        #expect(try other.order(down.id) == nil)
    }
}
