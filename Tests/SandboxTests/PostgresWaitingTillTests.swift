import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import NotifyServer
import PostgresLedger
import Sandbox
import Synchronization
import Testing
import TestSupport
import Till
import WantuGateway

/// A shop on one PostgreSQL database: a till waiting on a Wantu QR order and the notify
/// servers that apply Wantu's notifications, each on a ledger connection of its own, with the
/// Wantu sandbox paying and notifying over real HTTP on 127.0.0.1.
///
/// The till's checkout runs on a held clock (no query ever comes due), so only the ledger can
/// end its wait.
@Suite("A till on PostgreSQL hears its notification", .serialized)
struct PostgresWaitingTillTests {
    @Test func aNotificationTheNotifyServerCommitsEndsTheWaitOfATillOnAnotherConnection() async throws {
        // The row is read every ten minutes: only the notify server's NOTIFY can end the wait in time.
        try await PostgresShop.run(watchInterval: .seconds(600)) { shop in
            let (order, checkout) = try await shop.startQR(12_00)
            try await shop.waitUntilTheTillListens()

            #expect(await shop.sandbox.payQROrder(order.rawValue))
            let paidAt = ContinuousClock.now
            let report = try await shop.finished(checkout)
            let heard = ContinuousClock.now - paidAt

            guard case .paid = report.result else { Issue.record("\(report.result)"); return }
            #expect(try shop.till.order(order)?.status == .paid)
            // The customer's payment, the notification's HTTP round trip and the commit all count here.
            #expect(heard < .seconds(20), "the till heard its payment \(heard) after the customer paid")
        }
    }

    @Test func aTillWhoseListeningConnectionDropsReadsTheRowAndStillEndsItsWait() async throws {
        // Listening again would take an hour: the row, read every 100 ms, is all that is left.
        try await PostgresShop.run(watchInterval: .milliseconds(100), listenRetry: .seconds(3600)) { shop in
            let (order, checkout) = try await shop.startQR(12_00)
            try await shop.waitUntilTheTillListens()

            try shop.terminateTheTillsListener()
            #expect(await shop.sandbox.payQROrder(order.rawValue))
            let report = try await shop.finished(checkout)

            guard case .paid = report.result else { Issue.record("\(report.result)"); return }
            #expect(try shop.listeners() == 0, "the till listened again")
        }
    }

    @Test func aTillWhoseListenerHearsNothingStillFindsThePaymentInTheRow() async throws {
        // The listener stays connected but hears nothing, as over a link a NAT dropped without
        // a word: the payment is written with no NOTIFY. Reading the row every 20 × 50 ms, the
        // till still ends paid; reading it only on news, it would wait forever on its held clock.
        try await PostgresShop.run(watchInterval: .milliseconds(50)) { shop in
            let (order, checkout) = try await shop.startQR(12_00)
            try await shop.waitUntilTheTillListens()

            try shop.server.sql("UPDATE orders SET status = 'paid', gateway_trade_id = 'T-SILENT' WHERE id = '\(order.rawValue)'",
                                database: shop.database)
            let report = try await shop.finished(checkout)

            guard case .paid(let confirmation) = report.result else { Issue.record("\(report.result)"); return }
            #expect(confirmation.gatewayTradeID == "T-SILENT")
            #expect(try shop.listeners() == 1, "the till stopped listening")
        }
    }

    @Test func twoNotifyServersGivenTheSameNotificationAtOnceApplyItOnce() async throws {
        try await PostgresShop.run(notifyServers: 2, watchInterval: .seconds(600)) { shop in
            let (order, checkout) = try await shop.startQR(12_00)
            try await shop.waitUntilTheTillListens()

            #expect(await shop.sandbox.payQROrder(order.rawValue))
            let report = try await shop.finished(checkout)

            guard case .paid = report.result else { Issue.record("\(report.result)"); return }
            try await shop.fanOut.waitForAnswers(2)
            #expect(shop.fanOut.answers.allSatisfy { $0.contains("SUCCESS") }, "\(shop.fanOut.answers)")
            let applied = try shop.till.events(for: order).filter { $0.kind == .notification }
            #expect(applied.count == 1, "\(applied.map(\.detail))")
        }
    }
}

/// The shop of these tests, started in a new database of the test cluster and stopped after.
final class PostgresShop: Sendable {
    let server: PostgresServer
    let database: String
    let sandbox: WantuSandbox
    let sandboxServer: RunningSandbox
    let notifyLedgers: [PostgresLedger]
    let notifyServers: [RunningNotifyServer]
    let fanOut: FanOutTransport
    let till: PostgresLedger
    let runner: CheckoutRunner

    static let account = SandboxAccount.training

    private init(notifyServers count: Int, watchInterval: Duration, listenRetry: Duration) async throws {
        let server = try await PostgresServer.shared()
        let database = try server.makeDatabase()
        self.server = server
        self.database = database
        func settings(_ till: String) -> PostgresLedgerSettings {
            PostgresLedgerSettings(host: "127.0.0.1", port: server.port, user: PostgresServer.user, database: database,
                                   password: PostgresServer.password, tls: .disable, store: "shop-1", till: till,
                                   listenRetry: listenRetry)
        }
        notifyLedgers = try (1...count).map { try PostgresLedger(settings: settings("notify-\($0)")) }
        till = try PostgresLedger(settings: settings("counter-1"))
        var servers: [RunningNotifyServer] = []
        for ledger in notifyLedgers {
            let verifier = WantuGateway(account: Self.wantu(baseURL: "http://127.0.0.1:9/paygate", notifyURL: ""), transport: try CurlTransport())
            servers.append(try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: ledger), host: "127.0.0.1", port: 0))
        }
        notifyServers = servers
        fanOut = try FanOutTransport(servers.map { $0.url(for: "wantu") })
        let sandboxClock = SteppingClock()
        sandbox = WantuSandbox(account: Self.account, clock: sandboxClock.checkoutClock,
                               deliveries: SandboxDeliveries(transport: fanOut, clock: sandboxClock.checkoutClock, attempts: 1))
        sandboxServer = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
        let gateway = WantuGateway(account: Self.wantu(baseURL: sandboxServer.baseURL, notifyURL: servers[0].url(for: "wantu")),
                                   transport: try CurlTransport())
        runner = CheckoutRunner(gateway: gateway, ledger: till, policy: CheckoutPolicy(), timeZone: Self.account.timeZone,
                                clock: HeldClock.checkoutClock, watchInterval: watchInterval)
    }

    static func wantu(baseURL: String, notifyURL: String) -> WantuAccount {
        WantuAccount(baseURL: baseURL, merchantAccount: account.merchantAccount, storeAccount: account.storeAccount,
                     key: account.key, notifyURL: notifyURL, deviceSN: "counter-1", currency: account.currency,
                     timeZone: account.timeZone, requestTimeout: .seconds(10))
    }

    static func run(notifyServers: Int = 1, watchInterval: Duration, listenRetry: Duration = .seconds(1),
                    _ body: (PostgresShop) async throws -> Void) async throws {
        try await stopping(try await PostgresShop(notifyServers: notifyServers, watchInterval: watchInterval, listenRetry: listenRetry),
                           with: { await $0.stop() }, body)
    }

    private func stop() async {
        _ = await sandboxServer.stop()
        for server in notifyServers { await server.stop() }
        try? till.close()
        for ledger in notifyLedgers { try? ledger.close() }
    }

    /// Starts a QR checkout of `cents` HKD cents in the background; returns once its code is shown.
    func startQR(_ cents: Int64) async throws -> (OrderID, Task<CheckoutReport, any Error>) {
        let shown = AsyncStream.makeStream(of: OrderID?.self)
        let recorded = Mutex<OrderID?>(nil)
        let runner = self.runner
        let task = Task { () async throws -> CheckoutReport in
            defer { shown.continuation.finish() }
            return try await runner.payByQR(Money(minorUnits: cents, currency: .hkd), wallet: .wechat, subject: "Tea") { step in
                if case .recorded(let id) = step { recorded.withLock { $0 = id } }
                if case .showQR = step { shown.continuation.yield(recorded.withLock { $0 }) }
            }
        }
        for await id in shown.stream {
            if let id { return (id, task) }
        }
        let result = try await task.value.result
        Issue.record("no QR code was shown: \(result)")
        throw CancellationError()
    }

    /// The connections listening in the shop's database: the till's, once it waits.
    func listeners() throws -> Int {
        Int(try server.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE 'LISTEN %'")) ?? -1
    }

    func waitUntilTheTillListens() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try listeners() < 1 {
            guard ContinuousClock.now < deadline else {
                Issue.record("the till did not listen within 20 s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Ends the till's listening connection from another connection, as a lost network would.
    func terminateTheTillsListener() throws {
        let ended = try server.sql("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE 'LISTEN %'
            """)
        #expect(ended == "1")
    }

    /// The checkout's report, once it ends; at most 20 s on.
    func finished(_ checkout: Task<CheckoutReport, any Error>) async throws -> CheckoutReport {
        let report = try await withThrowingTaskGroup(of: CheckoutReport?.self) { group in
            group.addTask { try await checkout.value }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return nil
            }
            defer { group.cancelAll() }
            let first = try await group.next() ?? nil
            // The group ends only once both children have: a checkout still waiting is
            // stopped, or the test would wait with it for ever.
            if first == nil { checkout.cancel() }
            return first
        }
        guard let report else {
            Issue.record("the till was still waiting 20 s after the customer paid")
            throw CancellationError()
        }
        return report
    }
}

/// Posts each sandbox notification to every notify server at once, as a gateway's resend
/// racing its first try through a proxy to two servers would; answers with the first's reply.
final class FanOutTransport: HTTPTransport {
    private let servers: [(url: String, transport: CurlTransport)]
    private let replies = Mutex<[String]>([])

    init(_ urls: [String]) throws {
        servers = try urls.map { ($0, try CurlTransport()) }
    }

    var answers: [String] { replies.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let results = await withTaskGroup(of: Result<HTTPResponse, TransportError>.self) { group in
            for server in servers {
                var copy = request
                copy.url = server.url
                group.addTask { () async -> Result<HTTPResponse, TransportError> in
                    do throws(TransportError) { return .success(try await server.transport.send(copy)) } catch { return .failure(error) }
                }
            }
            var results: [Result<HTTPResponse, TransportError>] = []
            for await result in group { results.append(result) }
            return results
        }
        for case .success(let response) in results { replies.withLock { $0.append(response.bodyText) } }
        return try results[0].get()
    }

    /// Waits until `count` replies have come back, at most 20 s.
    func waitForAnswers(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while answers.count < count {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(answers.count) of \(count) notify servers answered within 20 s")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
