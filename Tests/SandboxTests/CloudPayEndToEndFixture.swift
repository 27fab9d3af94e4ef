import CheckoutCore
import CloudPayGateway
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import Sandbox
import Synchronization
import TestSupport
import Till

/// The till against the CloudPay sandbox over real HTTP on 127.0.0.1, with the notify server
/// between them: the sandbox posts its notifications to a real `NotifyServer`, which writes
/// them to the ledger file through its own connection, and the runner — which never asks
/// CloudPay anything — learns of the payment from the ledger alone.
///
/// The sandbox runs on a stepping clock (its "paid after 3 s" and its retries happen at once);
/// the runner on `held`, a clock whose waits end only when the ledger's watcher cuts them short
/// or the cashier cancels, so nothing but a notification can finish a payment.
final class CloudPayEndToEnd: Sendable {
    let sandboxClock = SteppingClock()
    let sandbox: CloudPaySandbox
    let server: RunningSandbox
    let receiver: RunningNotifyServer
    let deliveries: DeliveryLog
    let gateway: CloudPayGateway
    let folder: String
    let ledgerPath: String
    let ledger: SQLiteLedger
    let receiverLedger: SQLiteLedger
    let runner: CheckoutRunner

    static let appKey = CloudPaySandbox.trainingAppKey
    static let secret = CloudPaySandbox.trainingAppSecret

    private init(policy: CheckoutPolicy, runnerClock: CheckoutClock) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("CloudPayEndToEnd-\(UUID().uuidString)").path
        ledgerPath = folder + "/ledger.sqlite"
        ledger = try SQLiteLedger(path: ledgerPath)
        receiverLedger = try SQLiteLedger(path: ledgerPath)
        let verifier = CloudPayGateway(account: CloudPayAccount(baseURL: "http://127.0.0.1:1", appKey: Self.appKey, appSecret: Self.secret),
                                       transport: try CurlTransport())
        receiver = try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: receiverLedger), host: "127.0.0.1", port: 0)
        deliveries = DeliveryLog(try CurlTransport())
        sandbox = CloudPaySandbox(clock: sandboxClock.checkoutClock,
                                  deliveries: SandboxDeliveries(transport: deliveries, clock: sandboxClock.checkoutClock, attempts: 3,
                                                                retryInterval: .seconds(3), notifyServer: "http://127.0.0.1:\(receiver.port)"))
        server = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
        gateway = CloudPayGateway(account: CloudPayAccount(baseURL: "http://127.0.0.1:\(server.port)/cloudpay", appKey: Self.appKey,
                                                           appSecret: Self.secret, wallets: [.alipay, .wechat], requestTimeout: .seconds(5)),
                                  transport: try CurlTransport())
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: policy, timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                clock: runnerClock)
    }

    /// Starts everything, runs `body`, and stops the servers whatever happens.
    static func run(policy: CheckoutPolicy = CheckoutPolicy(), runnerClock: CheckoutClock = HeldClock.checkoutClock,
                    _ body: (CloudPayEndToEnd) async throws -> Void) async throws {
        let till = try await CloudPayEndToEnd(policy: policy, runnerClock: runnerClock)
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
        await receiver.stop()
        try? ledger.close()
        try? receiverLedger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }

    /// Starts a QR checkout for `fen` in the background; returns once its code is shown.
    func startQR(_ fen: Int64, control: CheckoutControl = CheckoutControl()) async throws -> (OrderID, String, Task<CheckoutReport, any Error>) {
        let shown = AsyncStream.makeStream(of: (OrderID?, String).self)
        let recorded = Mutex<OrderID?>(nil)
        let runner = self.runner
        let task = Task { () async throws -> CheckoutReport in
            defer { shown.continuation.finish() }
            return try await runner.payByQR(Self.cny(fen), wallet: .alipay, subject: "Tea", control: control) { step in
                if case .recorded(let id) = step { recorded.withLock { $0 = id } }
                if case .showQR(let payload) = step { shown.continuation.yield((recorded.withLock { $0 }, payload)) }
            }
        }
        for await (id, payload) in shown.stream {
            if let id { return (id, payload, task) }
        }
        throw CloudPayEndToEndError.noQRShown(try await task.value.result)
    }

    /// Posts `fields` to the notify server's `/notify/cloudpay` as CloudPay would, signed with
    /// `secret`; returns the HTTP status and the body of the reply.
    func post(_ fields: [String: String], secret: String = secret) async throws -> (Int, String) {
        var fields = fields
        var signed = fields
        signed["appkey"] = Self.appKey
        fields["sign"] = CloudPaySignature.sign(signed, order: CloudPaySignature.notificationFields, secret: secret)
        let body = CloudPayForm.encode(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let response = try await CurlTransport().send(HTTPRequest(
            url: receiver.url(for: "cloudpay"), headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: body))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}

enum CloudPayEndToEndError: Error {
    case noQRShown(CheckoutResult)
}

/// The sandbox's outgoing notifications, over real HTTP, with every answer kept and announced.
final class DeliveryLog: HTTPTransport {
    let inner: CurlTransport
    private let answers = Mutex<[(status: Int, body: String, at: ContinuousClock.Instant)]>([])
    private let arrivals: AsyncStream<Void>.Continuation
    private let arrived: AsyncStream<Void>

    init(_ inner: CurlTransport) {
        self.inner = inner
        (arrived, arrivals) = AsyncStream.makeStream(of: Void.self)
    }

    var all: [(status: Int, body: String, at: ContinuousClock.Instant)] { answers.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let response = try await inner.send(request)
        answers.withLock { $0.append((response.status, String(decoding: response.body, as: UTF8.self), ContinuousClock.now)) }
        arrivals.yield()
        return response
    }

    /// Waits until `count` answers have come back in all.
    func waitFor(_ count: Int) async {
        var iterator = arrived.makeAsyncIterator()
        while all.count < count { _ = await iterator.next() }
    }
}
