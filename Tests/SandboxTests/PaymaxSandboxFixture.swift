import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import PaymaxGateway
import Sandbox
import Signing
import Synchronization
import TestSupport
import Till

/// The till against the Paymax sandbox over real HTTP on 127.0.0.1: a `CheckoutRunner` with
/// the `PaymaxGateway` on a `CurlTransport`, a real ledger file, the sandbox's keys written to a
/// temporary state directory. One stepping clock drives the runner's waits and the sandbox's
/// scenarios; the wall clock (signed timestamps, time_expire) follows it from a real start.
final class PaymaxTill: Sendable {
    let clock: SteppingClock
    let keys: PaymaxSandboxKeys
    let sandbox: PaymaxSandbox
    let server: RunningSandbox
    let gateway: PaymaxGateway
    let folder: String
    let ledger: SQLiteLedger
    let runner: CheckoutRunner
    let origin: Date
    /// Every request the till's gateway sent, as "METHOD /merchant-api/…", in order.
    let sent: SentRequests

    /// The `..09` hang costs this much real time, waiting for the client's timeout. 3 s was too
    /// short for a charge to be made while the whole suite loads both cores.
    static let requestTimeout: Duration = .seconds(10)

    private init(webhooks: (any HTTPTransport)?, merchantKey: RSAPrivateKey?, channels: [String], extra: [String: String]) async throws {
        let clock = SteppingClock()
        let origin = Date()
        self.clock = clock
        self.origin = origin
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("PaymaxTill-\(UUID().uuidString)").path
        let keys = PaymaxSandboxKeys.training(in: folder + "/sandbox-state")
        self.keys = keys
        let wall: @Sendable () -> Date = { EndToEndTill.wallTime(clock, from: origin) }
        sandbox = PaymaxSandbox(keys: keys, clock: clock.checkoutClock, wallClock: wall,
                                webhookURL: webhooks == nil ? nil : "http://127.0.0.1:9/notify/paymax",
                                deliveries: webhooks.map { SandboxDeliveries(transport: $0, clock: clock.checkoutClock) })
        server = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
        ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
        let account = PaymaxAccount(baseURL: "http://127.0.0.1:\(server.port)/merchant-api", appKey: PaymaxSandbox.trainingAppKey,
                                    secretKey: PaymaxSandbox.trainingSecretKey, livemode: false, merchantKey: merchantKey ?? keys.merchant,
                                    paymaxKey: keys.paymaxPublic, channels: channels, returnURL: "http://127.0.0.1/paid", extra: extra,
                                    requestTimeout: Self.requestTimeout)
        let sent = SentRequests(try CurlTransport())
        self.sent = sent
        gateway = PaymaxGateway(account: account, transport: sent, now: wall)
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                clock: clock.checkoutClock, wallClock: wall)
    }

    /// Starts a sandbox and a till talking to it, runs `body`, and stops the server whatever happens.
    /// `channels` and `extra` are the till's Paymax account's.
    static func run(webhooks: (any HTTPTransport)? = nil, merchantKey: RSAPrivateKey? = nil, channels: [String] = ["alipay_web"],
                    extra: [String: String] = [:], _ body: (PaymaxTill) async throws -> Void) async throws {
        let till = try await PaymaxTill(webhooks: webhooks, merchantKey: merchantKey, channels: channels, extra: extra)
        do {
            try await body(till)
        } catch {
            await till.stop()
            throw error
        }
        await till.stop()
    }

    private func stop() async {
        await server.stop()
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A QR sale of `fen`; the customer pays as soon as the code is shown when `customerPays`.
    func sell(_ fen: Int64, customerPays: Bool = false) async throws -> CheckoutReport {
        let number = EndToEndBox<String?>(nil)
        let sandbox = self.sandbox
        return try await runner.payByQR(Self.cny(fen), wallet: .alipay, subject: "Training sale") { event in
            switch event {
            case .recorded(let id): number.update { $0 = id.rawValue }
            case .showQR:
                if customerPays, let order = number.current { Task { _ = await sandbox.customerPays(order) } }
            default: break
            }
        }
    }

    static func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }
}

/// A transport that passes each request on and keeps its method and path.
final class SentRequests: HTTPTransport {
    private let inner: any HTTPTransport
    private let lines = Mutex<[String]>([])
    private let sentBodies = Mutex<[String]>([])

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var all: [String] { lines.withLock { $0 } }
    /// Every request's body, as text, in order.
    var bodies: [String] { sentBodies.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let path = request.url.firstRange(of: "/merchant-api").map { String(request.url[$0.lowerBound...]) } ?? request.url
        lines.withLock { $0.append("\(request.method) \(path)") }
        sentBodies.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
        return try await inner.send(request)
    }
}
