import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import Sandbox
import Synchronization
import TestSupport
import Till
import WantuGateway

/// The whole till against the Wantu sandbox over real HTTP on 127.0.0.1: a `CheckoutRunner`
/// with the `WantuGateway` on a `CurlTransport`, a real ledger file, and the sandbox served by
/// `SandboxServer`. One stepping clock drives the runner's waits and the sandbox's scenarios, so
/// "paid 8 s after pospay" happens in virtual time; the wall clock follows it from a real start.
///
/// Requests time out after `requestTimeout`: the `..07` hang costs that much real time, spent
/// waiting for a client timeout, never for a poll. Long enough that a loopback answer is never
/// late on a machine crushed by other builds.
final class EndToEndTill: Sendable {
    let clock: SteppingClock
    let sandbox: WantuSandbox
    let server: RunningSandbox
    let gateway: WantuGateway
    let folder: String
    let ledgerPath: String
    let ledger: SQLiteLedger
    let runner: CheckoutRunner
    let origin: Date

    static let requestTimeout: Duration = .seconds(5)
    static let account = SandboxAccount.training

    private init(key: String) async throws {
        let clock = SteppingClock()
        let origin = Date()
        self.clock = clock
        self.origin = origin
        sandbox = WantuSandbox(account: Self.account, clock: clock.checkoutClock,
                               wallClock: { EndToEndTill.wallTime(clock, from: origin) })
        server = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("EndToEnd-\(UUID().uuidString)").path
        ledgerPath = folder + "/ledger.sqlite"
        ledger = try SQLiteLedger(path: ledgerPath)
        gateway = try Self.gateway(baseURL: server.baseURL, key: key, clock: clock, origin: origin)
        runner = Self.runner(gateway: gateway, ledger: ledger, clock: clock, origin: origin)
    }

    /// Starts a sandbox and a till talking to it, runs `body`, and stops the server whatever happens.
    /// `key` is the till's signing key: the training key unless a test misconfigures it.
    static func run(key: String = account.key, _ body: (EndToEndTill) async throws -> Void) async throws {
        let till = try await EndToEndTill(key: key)
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

    var now: Date { Self.wallTime(clock, from: origin) }

    static func wallTime(_ clock: SteppingClock, from origin: Date) -> Date {
        let offset = clock.now.offset.components
        return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
    }

    static func gateway(baseURL: String, key: String, clock: SteppingClock, origin: Date) throws -> WantuGateway {
        let wantu = WantuAccount(baseURL: baseURL, merchantAccount: account.merchantAccount, storeAccount: account.storeAccount,
                                 key: key, notifyURL: "http://127.0.0.1:9/notify", deviceSN: "till-1",
                                 currency: account.currency, timeZone: account.timeZone, requestTimeout: requestTimeout)
        return WantuGateway(account: wantu, transport: try CurlTransport(), now: { wallTime(clock, from: origin) })
    }

    static func runner(gateway: WantuGateway, ledger: SQLiteLedger, clock: SteppingClock, origin: Date) -> CheckoutRunner {
        CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: account.timeZone,
                       clock: clock.checkoutClock, wallClock: { wallTime(clock, from: origin) })
    }

    /// A till started again after a crash: a new ledger connection on the same file, a new gateway and runner.
    func restarted() throws -> (SQLiteLedger, CheckoutRunner) {
        let reopened = try SQLiteLedger(path: ledgerPath)
        let gateway = try Self.gateway(baseURL: server.baseURL, key: Self.account.key, clock: clock, origin: origin)
        return (reopened, Self.runner(gateway: gateway, ledger: reopened, clock: clock, origin: origin))
    }

    /// Charges `minor` HKD cents with a WeChat Pay code; the cents pick the sandbox scenario.
    func pay(_ minor: Int64) async throws -> CheckoutReport {
        try await runner.payByCode(Self.hkd(minor), code: Self.code(), subject: "Training sale")
    }

    /// What the sandbox holds for the order.
    func atSandbox(_ order: Order) async -> SandboxOrderSnapshot? {
        await sandbox.order(order.id.rawValue)
    }

    static func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }
    static func code() throws -> PaymentCode { try PaymentCode(scanned: "134567890123456789") }
}

/// A value set from a callback and read by the test.
final class EndToEndBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ initial: Value) { value = Mutex(initial) }
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
    var current: Value { value.withLock { $0 } }
}
