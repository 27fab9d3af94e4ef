import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import PostgresLedger
import Sandbox
import Synchronization
import ThrowawayPostgres
import Till
import WantuGateway

extension Bench {
    /// Wantu notifications posted to a real receiver on 127.0.0.1 by `clients` concurrent
    /// connections, each for its own pending order in a file ledger: verified, checked against
    /// the order and applied in one transaction each. Returns the latency of each request (ms,
    /// from handing it to curl to reading the SUCCESS reply) and the overall rate.
    static func notifications(in folder: URL, count: Int, clients: Int) async throws -> (latency: Samples, perSecond: Double) {
        let training = SandboxAccount.training
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("notify-ledger.sqlite").path)
        defer { try? ledger.close() }
        let verifier = WantuGateway(account: WantuAccount(
            baseURL: "http://127.0.0.1:1/paygate", merchantAccount: training.merchantAccount, storeAccount: training.storeAccount,
            key: training.key, notifyURL: "http://127.0.0.1/notify", currency: training.currency, timeZone: training.timeZone),
            transport: try CurlTransport())
        let server = try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: ledger),
                                                  host: "127.0.0.1", port: 0, limits: .init(maximumConcurrent: clients * 2))
        // Orders written first, outside the timing: the receiver only applies what is in the ledger.
        var generator = SystemRandomNumberGenerator()
        var bodies: [[UInt8]] = []
        for index in 0..<count {
            // A timestamp of its own for each: 4000 numbers of one second would collide now and then.
            let id = OrderID.generate(localTimestamp: String(261201000000 + index), using: &generator)
            let amount = Money(minorUnits: 1000 + Int64(index % 500), currency: training.currency)
            try ledger.insert(Order(id: id, provider: "wantu", method: .qr, wallet: .wechat, amount: amount, subject: "bench", createdAt: Date()))
            var fields = ["return_code": "200", "return_msg": "SUCCESS", "merchant_account": training.merchantAccount,
                          "total_fee": String(amount.minorUnits), "fee_type": amount.currency.code, "subject": "bench",
                          "out_trade_no": id.rawValue, "trade_id": "1000\(index)", "trade_status": "SUCCESS",
                          "trade_time": "2026-12-01 12:00:00"]
            fields["sign"] = WantuSignature.sign(fields, key: training.key)
            bodies.append(Array((try JSONEncoder().encode(fields))))
        }
        let url = server.url(for: "wantu")
        let shares = (0..<clients).map { client in stride(from: client, to: count, by: clients).map { bodies[$0] } }
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for share in shares {
                group.addTask {
                    let transport = try CurlTransport()
                    var own: [Double] = []
                    for body in share {
                        let sent = ContinuousClock.now
                        // A notification is idempotent (the receiver acknowledges a repeat and changes
                        // nothing): each client keeps its connection, as a gateway's sender does.
                        let reply = try await transport.send(HTTPRequest(url: url, headers: [(name: "Content-Type", value: "application/json")], body: body,
                                                                         effect: .idempotent))
                        own.append((ContinuousClock.now - sent).milliseconds)
                        guard reply.status == 200, String(decoding: reply.body, as: UTF8.self) == #"{"return_code":"SUCCESS"}"# else {
                            throw BenchFailure("the receiver did not accept a well-signed notification: HTTP \(reply.status)")
                        }
                    }
                    return own
                }
            }
            var all: [Double] = []
            for try await own in group { all += own }
            return all
        }
        let elapsed = ContinuousClock.now - start
        await server.stop()
        guard try ledger.orders(withStatus: [.pending]).isEmpty else { throw BenchFailure("some notifications were not applied") }
        return (Samples(values: latencies), Double(count) / (elapsed.milliseconds / 1000))
    }

    /// A till waiting on a QR order (its next query a minute away) on one ledger connection,
    /// and a second connection — as the notify server in another process — applying the paid
    /// notification. Returns, per order, the time from the call that applies it (its
    /// transaction included) until the waiting checkout returned paid (ms). SQLite's till reads
    /// the row every 100 ms; PostgreSQL's hears a NOTIFY.
    static func notificationToTill(till: any Ledger, receiver: any Ledger, runs: Int) async throws -> Samples {
        let gateway = NeverPaidQRGateway()
        let runner = CheckoutRunner(gateway: gateway, ledger: till, policy: CheckoutPolicy(pollInterval: .seconds(60), qrTimeout: .seconds(600)),
                                    timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
        var samples = Samples()
        for _ in 0..<runs {
            let shown = AsyncStream.makeStream(of: OrderID.self)
            let checkout = Task {
                try await runner.payByQR(Money(minorUnits: 1200, currency: .hkd), wallet: .wechat, subject: "bench") { step in
                    if case .recorded(let id) = step { shown.continuation.yield(id) }
                }
            }
            var iterator = shown.stream.makeAsyncIterator()
            guard let id = await iterator.next() else { throw BenchFailure("the QR order was not recorded") }
            // Let the checkout reach its wait, as a customer takes a moment to scan.
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...60)))
            let committed = ContinuousClock.now
            _ = try receiver.applyNotification(LedgerNotification(
                orderID: id, provider: gateway.name, verdict: .paid(PaymentConfirmation(gatewayTradeID: "T\(id)", amount: Money(minorUnits: 1200, currency: .hkd))),
                body: "{}", at: Date()))
            let report = try await checkout.value
            samples.append((ContinuousClock.now - committed).milliseconds)
            guard report.order.status == .paid else { throw BenchFailure("the till did not end paid: \(report.result.summary)") }
        }
        return samples
    }
}

extension Bench {
    /// `notificationToTill` on a ledger file, the till and the notify server each with its own connection.
    static func notificationToTillOnSQLite(in folder: URL, runs: Int) async throws -> Samples {
        let path = folder.appendingPathComponent("watch-ledger.sqlite").path
        let till = try SQLiteLedger(path: path)
        let receiver = try SQLiteLedger(path: path)
        defer {
            try? till.close()
            try? receiver.close()
        }
        return try await notificationToTill(till: till, receiver: receiver, runs: runs)
    }

    /// `notificationToTill` on a PostgreSQL cluster started for the bench (Debian's server
    /// programs, as the tests start theirs), the till and the notify server as two tills of one store.
    static func notificationToTillOnPostgreSQL(runs: Int) async throws -> Samples {
        let (server, database): (PostgresServer, String)
        do {
            server = try await PostgresServer.shared()
            database = try server.makeDatabase()
        } catch {
            throw BenchFailure("\(error)")
        }
        func settings(_ till: String) -> PostgresLedgerSettings {
            PostgresLedgerSettings(host: "127.0.0.1", port: server.port, user: PostgresServer.user, database: database,
                                   password: PostgresServer.password, tls: .disable, store: "bench", till: till)
        }
        let till = try PostgresLedger(settings: settings("counter-1"))
        let receiver = try PostgresLedger(settings: settings("notify"))
        defer {
            try? till.close()
            try? receiver.close()
        }
        return try await notificationToTill(till: till, receiver: receiver, runs: runs)
    }
}

/// A gateway whose QR orders are created and never paid as far as queries go: only the
/// ledger can tell the till otherwise.
struct NeverPaidQRGateway: PaymentGateway {
    let name = "bench"
    let capabilities: GatewayCapabilities = [.qrPay, .query, .close]
    func createQR(_ request: QRPayRequest) async -> QRCreation { .created(payload: "weixin://wxpay/bizpayurl?pr=bench") }
    func query(_ order: OrderReference) async -> PaymentVerdict { .notPaid }
    func close(_ order: OrderReference) async -> CancelVerdict { .cancelled }
}
