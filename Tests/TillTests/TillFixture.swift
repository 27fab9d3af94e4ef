import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Synchronization
import Till
import TestSupport

/// A till as the tests run it: a real SQLite ledger file in a fresh temporary folder, a
/// scripted gateway, and a stepping clock driving both the runner's waits and its wall clock,
/// so a 45-second checkout runs in milliseconds and every date in the ledger is predictable.
final class TillFixture: Sendable {
    let folder: String
    let ledgerPath: String
    let ledger: SQLiteLedger
    let clock: SteppingClock
    let gateway: ScriptedGateway
    let runner: CheckoutRunner
    /// The wall time at which the stepping clock reads zero.
    static let origin = Date(timeIntervalSince1970: 1_750_000_000)
    static let timeZone = TimeZone(identifier: "Asia/Hong_Kong")!
    static let publicURL = "https://pay.shop.example"

    /// `payLinks`: the runner gives out pay links under this fixture's `publicURL`, with tokens
    /// counted up from `aaaa…0001`.
    init(_ script: ScriptedGateway.Script = .init(), policy: CheckoutPolicy = CheckoutPolicy(),
         capabilities: GatewayCapabilities? = nil, payLinks: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("TillTests-\(UUID().uuidString)").path
        ledgerPath = folder + "/ledger.sqlite"
        ledger = try SQLiteLedger(path: ledgerPath)
        gateway = capabilities.map { ScriptedGateway(script, capabilities: $0) } ?? ScriptedGateway(script)
        let clock = SteppingClock()
        self.clock = clock
        let tokens = Mutex(0)
        let issuer = PayLinkIssuer(publicURL: Self.publicURL, makeToken: {
            tokens.withLock { count in
                count += 1
                return "aaaaaaaaaaaaaaaaaa" + String(format: "%04d", count)
            }
        })
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: policy, timeZone: Self.timeZone,
                                clock: clock.checkoutClock, wallClock: { TillFixture.wallTime(clock) }, payLinks: payLinks ? issuer : nil)
    }

    deinit {
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The runner's idea of the date and time now.
    var now: Date { Self.wallTime(clock) }

    static func wallTime(_ clock: SteppingClock) -> Date {
        let offset = clock.now.offset.components
        return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
    }

    /// An order in the ledger as the till writes one, created `age` before now.
    @discardableResult
    func insertOrder(_ id: String, amount: Int64, method: PaymentMethod = .scan, status: OrderStatus = .pending,
                     age: TimeInterval = 0, trade: String? = nil) throws -> Order {
        let order = Order(id: try OrderID(id), provider: gateway.name, method: method, wallet: .wechat,
                          amount: hkd(amount), subject: "Two coffees", maskedCode: method == .scan ? "1345**********6789" : nil,
                          createdAt: now.addingTimeInterval(-age))
        try ledger.insert(order)
        guard status != .pending else { return order }
        return try ledger.updateOrder(order.id, status: status, gatewayTradeID: trade, reason: nil, at: now)
    }
}

func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }

/// A WeChat Pay code as a scanner reads it.
func scannedCode() throws -> PaymentCode { try PaymentCode(scanned: "134567890123456789") }

/// Everything a checkout reported, in order.
final class ProgressLog: Sendable {
    private let events = Mutex<[CheckoutProgress]>([])
    func record(_ event: CheckoutProgress) { events.withLock { $0.append(event) } }
    var all: [CheckoutProgress] { events.withLock { $0 } }
    var callback: @Sendable (CheckoutProgress) -> Void { { [self] in record($0) } }
}

/// A value a script sets from inside the gateway and the test reads afterwards.
final class Observed<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ initial: Value) { value = Mutex(initial) }
    func set(_ new: Value) { value.withLock { $0 = new } }
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
    var current: Value { value.withLock { $0 } }
}
