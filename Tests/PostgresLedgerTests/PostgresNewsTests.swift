import CheckoutCore
import Foundation
import Ledger
@testable import PostgresLedger
import Synchronization
import Testing
import TestSupport

/// A till waiting on an order hears of a notification another ledger connection (the notify
/// server's) commits, on its own listening connection, and hears when that connection is down.
@Suite("PostgreSQL ledger: news of an order for a waiting till")
struct PostgresNewsTests {
    let server: PostgresServer
    let database: String

    init() async throws {
        server = try await PostgresServer.shared()
        database = try server.makeDatabase()
    }

    func open(till: String) throws -> PostgresLedger {
        try PostgresLedger(settings: PostgresFixture.settings(server, database: database, till: till))
    }

    static func paid(_ order: Order, trade: String) -> LedgerNotification {
        LedgerNotification(orderID: order.id, provider: order.provider,
                           verdict: .paid(PaymentConfirmation(gatewayTradeID: trade, amount: order.amount)), body: "{}", at: Date())
    }

    @Test func aNotificationCommittedByTheNotifyServerIsNewsToTheTillWaitingOnItsOrder() async throws {
        let till = try open(till: "counter-1")
        let notifyServer = try open(till: "notify")
        defer { try? till.close(); try? notifyServer.close() }
        let waited = PostgresLedgerTests.order(1)
        let other = PostgresLedgerTests.order(2)
        try till.insert(waited)
        try till.insert(other)
        let news = NewsLog(till.news(of: waited.id))

        try await news.waitFor(.listening)
        // Another order's notification is not this waiter's news; a repeat of one applied changes nothing and says nothing.
        #expect(try notifyServer.applyNotification(Self.paid(other, trade: "T-2")) == .applied(.paid))
        #expect(try notifyServer.applyNotification(Self.paid(waited, trade: "T-1")) == .applied(.paid))
        #expect(try notifyServer.applyNotification(Self.paid(waited, trade: "T-1")) == .duplicate)
        try await news.waitFor(.changed)
        #expect(try till.order(waited.id)?.status == .paid)
        #expect(news.seen.filter { $0 == .changed }.count == 1, "\(news.seen)")
    }

    @Test func aDroppedListeningConnectionIsSaidAndTheTillListensAgain() async throws {
        let till = try open(till: "counter-1")
        let notifyServer = try open(till: "notify")
        defer { try? till.close(); try? notifyServer.close() }
        let order = PostgresLedgerTests.order(3)
        try till.insert(order)
        let news = NewsLog(till.news(of: order.id))
        try await news.waitFor(.listening)

        try terminateListeners()

        try await news.waitFor(.notListening, after: .listening)
        try await news.waitFor(.listening, after: .notListening)
        #expect(try notifyServer.applyNotification(Self.paid(order, trade: "T-3")) == .applied(.paid))
        try await news.waitFor(.changed)
    }

    @Test func theNewsOfAClosedLedgerEnds() async throws {
        let till = try open(till: "counter-1")
        let order = PostgresLedgerTests.order(4)
        try till.insert(order)
        let news = NewsLog(till.news(of: order.id))
        try await news.waitFor(.listening)
        try till.close()
        try await news.waitForEnd()
        var afterClose = till.news(of: order.id).makeAsyncIterator()
        #expect(await afterClose.next() == nil)
        // Its listening connection goes too, closed by the listener before its event loop stops.
        let deadline = ContinuousClock.now + .seconds(20)
        while try server.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE 'LISTEN %'") != "0" {
            guard ContinuousClock.now < deadline else {
                Issue.record("the listening connection was still open 20 s after the ledger closed")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func aStoreIsAnnouncedOnAChannelPostgreSQLTakesWhateverItsName() {
        #expect(PostgresListener.channel(store: "shop-1") == "shroff.shop-1")
        let long = PostgresListener.channel(store: String(repeating: "Tea House 茶館 ", count: 8))
        #expect(long.hasPrefix("shroff.#") && long.utf8.count == 24)
        #expect(PostgresListener.channel(store: "a\"b") != PostgresListener.channel(store: "a\"c"))
        #expect(!PostgresListener.channel(store: "a\"b").contains("\""))
    }

    /// Ends every listening connection of the test's database from another connection, as a
    /// server restart or a lost network would.
    func terminateListeners() throws {
        let ended = try server.sql("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = '\(database)' AND query LIKE 'LISTEN %'
            """)
        #expect(ended == "1", "listening connections ended: \(ended)")
    }
}

/// Everything a news stream said, read by the test as it arrives.
final class NewsLog: Sendable {
    private final class Log: Sendable {
        let entries = Mutex<(seen: [OrderNews], ended: Bool)>(([], false))
    }
    private let log = Log()
    private let reader: Task<Void, Never>

    init(_ stream: AsyncStream<OrderNews>) {
        let log = self.log
        reader = Task {
            for await item in stream { log.entries.withLock { $0.seen.append(item) } }
            log.entries.withLock { $0.ended = true }
        }
    }

    deinit { reader.cancel() }

    var seen: [OrderNews] { log.entries.withLock { $0.seen } }

    /// Waits until `item` has come (after the last `earlier`, when given), at most 20 s.
    func waitFor(_ item: OrderNews, after earlier: OrderNews? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await until("\(item) after \(earlier.map { "\($0)" } ?? "nothing")", sourceLocation: sourceLocation) { seen, _ in
            let start = earlier.flatMap { seen.lastIndex(of: $0) } ?? -1
            return earlier != nil && start < 0 ? false : seen[(start + 1)...].contains(item)
        }
    }

    func waitForEnd(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await until("the end", sourceLocation: sourceLocation) { _, ended in ended }
    }

    private func until(_ what: String, sourceLocation: SourceLocation, _ done: ([OrderNews], Bool) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !log.entries.withLock({ done($0.seen, $0.ended) }) {
            guard ContinuousClock.now < deadline else {
                Issue.record("no \(what) within 20 s; seen \(seen)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
