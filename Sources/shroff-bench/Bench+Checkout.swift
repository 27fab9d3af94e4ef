import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import Sandbox
import Synchronization
import Till
import WantuGateway

/// Passes requests to the real transport, noting when the first one of a checkout is handed
/// over: the moment the till has done everything it does before the gateway hears of the sale.
final class StampingTransport: HTTPTransport {
    let inner: any HTTPTransport
    private let firstSend = Mutex<ContinuousClock.Instant?>(nil)

    init(_ inner: any HTTPTransport) { self.inner = inner }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let now = ContinuousClock.now
        firstSend.withLock { if $0 == nil { $0 = now } }
        return try await inner.send(request)
    }

    /// The first stamp since the last call, and clears it.
    func takeFirstSend() -> ContinuousClock.Instant? {
        firstSend.withLock { stamp in defer { stamp = nil }; return stamp }
    }
}

extension Bench {
    /// Scanned payments that the sandbox pays at once (HKD 12.50), through the till's own path:
    /// `CheckoutRunner` → ledger file → `WantuGateway` → `CurlTransport` → a `SandboxServer` on
    /// 127.0.0.1. Returns, per payment, the time until the request is handed to curl and the
    /// time until `payByCode` returns paid (ms).
    static func scanCheckout(in folder: URL, runs: Int) async throws -> (toRequest: Samples, roundTrip: Samples) {
        let training = SandboxAccount.training
        let sandbox = try await SandboxServer.start(WantuSandbox(account: training, clock: .continuous))
        let ledger = try Ledger(path: folder.appendingPathComponent("checkout-ledger.sqlite").path)
        let transport = StampingTransport(try CurlTransport())
        let account = WantuAccount(baseURL: sandbox.baseURL, merchantAccount: training.merchantAccount,
                                   storeAccount: training.storeAccount, key: training.key,
                                   notifyURL: "http://127.0.0.1/notify", currency: training.currency,
                                   timeZone: training.timeZone)
        let runner = CheckoutRunner(gateway: WantuGateway(account: account, transport: transport), ledger: ledger,
                                    policy: CheckoutPolicy(), timeZone: training.timeZone)
        let code = try PaymentCode(scanned: "134567890123456789")
        let amount = Money(minorUnits: 1250, currency: training.currency)

        func pay() async throws -> (toRequest: Duration, roundTrip: Duration) {
            let start = ContinuousClock.now
            let report = try await runner.payByCode(amount, code: code, subject: "Milk tea")
            let end = ContinuousClock.now
            guard report.order.status == .paid else {
                throw BenchFailure("a sandbox payment that pays at once ended \(report.order.status.rawValue): \(report.result.summary)")
            }
            guard let sent = transport.takeFirstSend() else { throw BenchFailure("the payment sent no request") }
            return (sent - start, end - start)
        }

        var toRequest = Samples()
        var roundTrip = Samples()
        do {
            for _ in 0..<20 { _ = try await pay() }
            for _ in 0..<runs {
                let timing = try await pay()
                toRequest.append(timing.toRequest.milliseconds)
                roundTrip.append(timing.roundTrip.milliseconds)
            }
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
        try? ledger.close()
        return (toRequest, roundTrip)
    }
}
