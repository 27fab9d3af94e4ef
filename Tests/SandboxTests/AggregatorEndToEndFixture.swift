import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import Sandbox
import TestSupport
import Till

/// The whole till against the aggregator's simulator over real HTTP on 127.0.0.1: a
/// `CheckoutRunner` with the `AggregatorGateway` on curl, a real ledger file, the sandbox host,
/// and (when `callbacks`) a notify server on the same ledger receiving the simulator's
/// callbacks, as training mode wires them. One stepping clock drives the till's waits and the
/// sandbox's scenarios.
///
/// `plainHTTP` makes the till's gateway believe it talks to `http://pay.example.cn` (another
/// host, over plain http) while the transport carries the requests to the loopback sandbox: its
/// answers are then not believed, and only the signed callback can say paid.
///
/// A stepped clock lets the till run through its deadline in a blink, faster than a callback
/// crosses HTTP. When only the callback can end an order (`untilCallback`), each `check_order`
/// is held until the ledger holds the order paid (real time, bounded: waiting for an HTTP
/// delivery, never for a poll). `beforeCheckOrder` runs before each `check_order` leaves: a
/// customer paying between two polls, exactly.
final class AggregatorTill: Sendable {
    let clock = SteppingClock()
    let origin = Date()
    let sandbox: AggregatorSandbox
    let server: RunningSandbox
    let notify: RunningNotifyServer?
    let folder: String
    let ledger: SQLiteLedger
    let runner: CheckoutRunner

    static let account = AggregatorSandboxAccount.training
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    typealias CheckOrderHook = @Sendable (AggregatorSandbox, OrderID) async -> Void

    private init(callbacks: Bool, plainHTTP: Bool, untilCallback: Bool, beforeCheckOrder: CheckOrderHook?) async throws {
        let (clock, origin) = (clock, origin)
        let wall: @Sendable () -> Date = { EndToEndTill.wallTime(clock, from: origin) }
        sandbox = AggregatorSandbox(clock: clock.checkoutClock, wallClock: wall,
                                    deliveries: callbacks ? SandboxDeliveries(transport: try CurlTransport(), clock: clock.checkoutClock) : nil)
        server = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("AggregatorEndToEnd-\(UUID().uuidString)").path
        ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
        let sandboxURL = "http://127.0.0.1:\(server.port)/aggregator"
        var notifyURL = "http://127.0.0.1:9/notify/aggregator"
        if callbacks {
            let verifier = Self.gateway(baseURL: sandboxURL, notifyURL: notifyURL, transport: try CurlTransport())
            let notify = try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: ledger), host: "127.0.0.1", port: 0)
            notifyURL = notify.url(for: "aggregator")
            self.notify = notify
        } else {
            notify = nil
        }
        let (ledger, sandbox) = (ledger, sandbox)
        let transport = Redirecting(to: sandboxURL, from: plainHTTP ? "http://pay.example.cn" : sandboxURL, inner: try CurlTransport()) { request in
            guard request.url.contains("check_order"),
                  let number = FormEncoding.decode(Array(request.url.drop { $0 != "?" }.dropFirst().utf8))?["order_no"],
                  let id = try? OrderID(number) else { return }
            await beforeCheckOrder?(sandbox, id)
            guard untilCallback else { return }
            await Self.waitUntil(within: .seconds(20)) { (try? ledger.order(id))?.status == .paid }
        }
        let gateway = Self.gateway(baseURL: plainHTTP ? "http://pay.example.cn" : sandboxURL, notifyURL: notifyURL, transport: transport)
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: Self.shanghai,
                                clock: clock.checkoutClock, wallClock: wall)
    }

    /// Starts everything, runs `body`, and stops the servers whatever happens.
    static func run(callbacks: Bool = false, plainHTTP: Bool = false, untilCallback: Bool = false,
                    beforeCheckOrder: CheckOrderHook? = nil, _ body: (AggregatorTill) async throws -> Void) async throws {
        let till = try await AggregatorTill(callbacks: callbacks, plainHTTP: plainHTTP, untilCallback: untilCallback,
                                            beforeCheckOrder: beforeCheckOrder)
        try await stopping(till, with: { await $0.stop() }, body)
    }

    private func stop() async {
        await notify?.stop()
        await server.stop()
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func gateway(baseURL: String, notifyURL: String, transport: any HTTPTransport) -> AggregatorGateway {
        AggregatorGateway(account: AggregatorAccount(baseURL: baseURL, appID: account.appID, secret: account.secret,
                                                     notifyURL: notifyURL, returnURL: "http://127.0.0.1:9/", requestTimeout: .seconds(5)),
                          transport: transport)
    }

    static func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }

    /// A QR order for `fen`; the cents pick the sandbox's scenario.
    func pay(_ fen: Int64, wallet: Wallet = .wechat) async throws -> CheckoutReport {
        try await runner.payByQR(Self.cny(fen), wallet: wallet, subject: "Training sale")
    }

    /// Posts a callback to the till's receiver as the aggregator would; returns the HTTP answer.
    func postCallback(_ fields: [String: String], secret: String = AggregatorTill.account.secret) async throws -> HTTPResponse {
        var form = fields
        form["sign"] = AggregatorSignature.sign(fields, secret: secret, form: .callback)
        return try await post(FormEncoding.encode(form), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts `body` to the till's receiver at `/notify/aggregator`; returns the HTTP answer.
    func post(_ body: String, contentType: String) async throws -> HTTPResponse {
        let request = HTTPRequest(url: notify?.url(for: "aggregator") ?? "", headers: [(name: "Content-Type", value: contentType)],
                                  body: Array(body.utf8), timeout: .seconds(10))
        return try await CurlTransport().send(request)
    }

    /// An open QR order of `fen` in the ledger, as the till writes it before the unified order leaves.
    func openOrder(_ number: String, fen: Int64) throws -> OrderID {
        let id = try OrderID(number)
        try ledger.insert(Order(id: id, provider: "aggregator", method: .qr, wallet: .wechat, amount: Self.cny(fen),
                                subject: "Training sale", createdAt: Date()))
        return id
    }

    /// Checks `condition` every 10 ms of real time until it holds or `limit` passes; true when it held.
    @discardableResult
    static func waitUntil(within limit: Duration, _ condition: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

/// Sends requests written for `from` to `to` instead (the same place when they are equal),
/// after `hold` lets each go.
final class Redirecting: HTTPTransport {
    let target: String
    let origin: String
    let inner: any HTTPTransport
    let hold: @Sendable (HTTPRequest) async -> Void

    init(to target: String, from origin: String, inner: any HTTPTransport, hold: @escaping @Sendable (HTTPRequest) async -> Void) {
        self.target = target
        self.origin = origin
        self.inner = inner
        self.hold = hold
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        await hold(request)
        var redirected = request
        redirected.url = target + request.url.dropFirst(origin.count)
        return try await inner.send(redirected)
    }
}
