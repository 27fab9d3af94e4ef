import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import Sandbox
import Synchronization
import Till
import WantuGateway

/// The first moment something happened since it was last read; safe to mark from any thread.
final class FirstStamp: Sendable {
    private let stamp = Mutex<ContinuousClock.Instant?>(nil)

    func mark() {
        let now = ContinuousClock.now
        stamp.withLock { if $0 == nil { $0 = now } }
    }

    /// The first mark since the last call, and clears it.
    func take() -> ContinuousClock.Instant? {
        stamp.withLock { stamp in defer { stamp = nil }; return stamp }
    }
}

/// Passes requests to the real transport, marking when one is handed over: the moment the till
/// has done everything it does before the gateway hears of the sale.
struct StampingTransport: HTTPTransport {
    let inner: any HTTPTransport
    let handedOver = FirstStamp()

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        handedOver.mark()
        return try await inner.send(request)
    }
}

extension Bench {
    /// Scanned payments that the sandbox pays at once (HKD 12.50), through the till's own path:
    /// `CheckoutRunner` → ledger file → `WantuGateway` → `CurlTransport` → a `SandboxServer` on
    /// 127.0.0.1. Returns, per payment (ms): the time until the request is handed to curl, until
    /// the sandbox creates the order (the request has crossed loopback, been read and its
    /// signature checked), and until `payByCode` returns paid.
    static func scanCheckout(in folder: URL, runs: Int) async throws -> ScanTimings {
        let training = SandboxAccount.training
        // The sandbox reads its wall clock when it creates an order: that read marks arrival.
        let arrived = FirstStamp()
        let service = WantuSandbox(account: training, clock: .continuous, wallClock: { arrived.mark(); return Date() })
        let sandbox = try await SandboxServer.start(service)
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("checkout-ledger.sqlite").path)
        let transport = StampingTransport(inner: try CurlTransport())
        let account = WantuAccount(baseURL: sandbox.baseURL, merchantAccount: training.merchantAccount,
                                   storeAccount: training.storeAccount, key: training.key,
                                   notifyURL: "http://127.0.0.1/notify", currency: training.currency,
                                   timeZone: training.timeZone)
        let runner = CheckoutRunner(gateway: WantuGateway(account: account, transport: transport), ledger: ledger,
                                    policy: CheckoutPolicy(), timeZone: training.timeZone)
        let code = try PaymentCode(scanned: "134567890123456789")
        let amount = Money(minorUnits: 1250, currency: training.currency)

        func pay() async throws -> (handedOver: Duration, arrived: Duration, roundTrip: Duration) {
            let start = ContinuousClock.now
            let report = try await runner.payByCode(amount, code: code, subject: "Milk tea")
            let end = ContinuousClock.now
            guard report.order.status == .paid else {
                throw BenchFailure("a sandbox payment that pays at once ended \(report.order.status.rawValue): \(report.result.summary)")
            }
            guard let handedOver = transport.handedOver.take(), let arrival = arrived.take() else {
                throw BenchFailure("the payment sent no request to the sandbox")
            }
            return (handedOver - start, arrival - start, end - start)
        }

        var timings = ScanTimings()
        do {
            for _ in 0..<20 { _ = try await pay() }
            for _ in 0..<runs {
                let timing = try await pay()
                timings.handedOver.append(timing.handedOver.milliseconds)
                timings.arrived.append(timing.arrived.milliseconds)
                timings.roundTrip.append(timing.roundTrip.milliseconds)
            }
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
        try? ledger.close()
        return timings
    }
}

/// Per scanned payment, in ms from the `payByCode` call.
struct ScanTimings {
    var handedOver = Samples()
    var arrived = Samples()
    var roundTrip = Samples()
}
