import CheckoutCore
import Foundation
import Ledger
@testable import PostgresLedger
import Testing
import TestSupport

@Suite("PostgreSQL ledger: schema, stores, sessions and an unreachable server")
struct PostgresLedgerTests {
    let server: PostgresServer
    let database: String

    init() async throws {
        server = try await PostgresServer.shared()
        database = try server.makeDatabase()
    }

    func open(store: String = "shop-1", till: String = "counter-1") throws -> PostgresLedger {
        try PostgresLedger(settings: PostgresFixture.settings(server, database: database, store: store, till: till))
    }

    static func order(_ number: Int, at: Date = Date(timeIntervalSince1970: 1_750_000_000)) -> Order {
        Order(id: try! OrderID(String(format: "S250615%012d", number)), provider: "wantu", method: .scan, wallet: .wechat,
              amount: Money(minorUnits: 12_30, currency: .hkd), subject: "Tea", status: .pending, createdAt: at)
    }

    /// Session numbers count per database, and pg_locks shows the whole cluster's: a lock is
    /// this test's only in this test's database (other tests run beside it on the cluster).
    static let thisDatabase = "(SELECT oid FROM pg_database WHERE datname = current_database())"

    @Test func theSchemaIsMigratedOnceByManyTillsStartingTogether() throws {
        let opened = try (0..<4).map { index in try open(till: "counter-\(index)") }
        defer { for ledger in opened { try? ledger.close() } }
        let versions = try server.sql("SELECT string_agg(version::text, ',' ORDER BY version) FROM ledger_schema", database: database)
        #expect(versions == (1...PostgresSchema.known).map(String.init).joined(separator: ","))
        let again = try PostgresLedger.migrate(settings: PostgresFixture.settings(server, database: database))
        #expect(again.from == PostgresSchema.known && again.to == PostgresSchema.known)
    }

    @Test func aSchemaNewerThanThisShroffKnowsIsRefusedAndLeftAlone() throws {
        try open().close()
        try server.sql("INSERT INTO ledger_schema (version, name) VALUES (99, 'from a newer shroff')", database: database)
        #expect {
            try open()
        } throws: { error in
            guard case LedgerError.schemaTooNew(_, found: 99, known: PostgresSchema.known) = error else { return false }
            return "\(error)".contains("Update shroff on this till")
        }
        #expect(try server.sql("SELECT count(*) FROM ledger_schema", database: database) == String(PostgresSchema.known + 1))
    }

    @Test func aServerThatCannotBeReachedIsSaidSoWithoutThePassword() throws {
        var settings = PostgresFixture.settings(server, database: database)
        let (fd, port) = try LoopbackSocket.bound()  // bound, never listening: connections are refused
        defer { close(fd) }
        settings.port = port
        #expect {
            try PostgresLedger(settings: settings)
        } throws: { error in
            guard case LedgerError.serverUnreachable = error else { return false }
            let message = "\(error)"
            return message.contains("cannot be reached") && message.contains("Nothing was recorded")
                && !message.contains(PostgresServer.password)
        }
    }

    @Test func eachStoreOfAChainSeesItsOwnOrdersOnly() throws {
        let shop = try open(store: "shop-1")
        let other = try open(store: "shop-2")
        defer { try? shop.close(); try? other.close() }
        let order = Self.order(1)
        try shop.insert(order)
        #expect(try other.order(order.id) == nil)
        #expect(try other.orders(createdFrom: order.createdAt, to: order.createdAt + 1).isEmpty)
        #expect(try shop.orders(createdFrom: order.createdAt, to: order.createdAt + 1).map(\.id) == [order.id])
        // An order number stays the gateway's key across the whole database.
        #expect(throws: LedgerError.duplicateOrder(order.id)) { try other.insert(order) }
        #expect(try server.sql("SELECT store_id || '/' || till FROM orders", database: database) == "shop-1/counter-1")
    }

    @Test func aTillWhoseConnectionDiesLosesItsOpenOrderToTheNextTill() throws {
        let till = try open(till: "counter-1")
        let next = try open(till: "counter-2")
        defer { try? till.close(); try? next.close() }
        let order = Self.order(1)
        try till.insert(order)
        #expect(try next.claim(order.id, at: order.createdAt + 5) == false)
        // The till's machine dies: the server ends its connection, and its session lock with it.
        let session = try #require(till.ownerID?.split(separator: "#").last)
        try server.sql("""
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND objid = \(session) AND granted AND database = \(Self.thisDatabase)
            """, database: database)
        try waitUntil(deadline: .seconds(20)) { try server.sql("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = \(session) AND database = \(Self.thisDatabase)
            """, database: database) == "0" }
        #expect(try next.claim(order.id, at: order.createdAt + 6))
        #expect(try next.events(for: order.id).last?.kind == .takenOver)
        // The dead till, back on a new connection, finds the order is no longer its own.
        #expect(try till.claim(order.id, at: order.createdAt + 7) == false)
    }

    @Test func anImportedOrderWhoseNumberAnotherSaleHasStopsTheImportWithItsNumber() throws {
        let ledger = try open()
        defer { try? ledger.close() }
        let here = Self.order(1)
        try ledger.insert(here)
        var other = Self.order(1)
        other.amount = Money(minorUnits: 99_00, currency: .hkd)
        let fresh = Self.order(2)
        let export = LedgerExport(orders: [OrderRow(fresh), OrderRow(other)], refunds: [], events: [], attempts: [])
        #expect(throws: LedgerError.importConflict(here.id)) { try ledger.importLedger(export) }
        #expect(try ledger.order(fresh.id) == nil, "an import that stopped wrote something")
        #expect(try ledger.importLedger(LedgerExport(orders: [OrderRow(here), OrderRow(fresh)], refunds: [], events: [], attempts: []))
                == PostgresLedger.ImportResult(imported: 1, alreadyThere: 1))
    }

    /// Polls `condition` until it holds, failing after `deadline`: the server ends a connection
    /// in its own time.
    func waitUntil(deadline: Duration, _ condition: () throws -> Bool) throws {
        let end = ContinuousClock.now + deadline
        while try !condition() {
            guard ContinuousClock.now < end else { throw PostgresServer.Failure(description: "timed out waiting") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
