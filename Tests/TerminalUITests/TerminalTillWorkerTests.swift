import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Synchronization
import TestSupport
import Testing
import Till
@testable import TerminalUI

/// A gateway for the runtime's tests: pays a scanned code when told to, otherwise keeps the
/// customer "paying"; `onQuery` runs during each query, as if the cashier pressed a key while
/// the request was on the wire.
private final class CounterGateway: PaymentGateway {
    let name = "counter"
    let capabilities: GatewayCapabilities = [.barcodePay, .query, .cancel, .close, .refund]
    let paysAtOnce: Bool
    let onQuery = Mutex<(@Sendable () -> Void)?>(nil)
    let cancels = Atomic<Int>(0)

    init(paysAtOnce: Bool) { self.paysAtOnce = paysAtOnce }

    func pay(_ request: BarcodePayRequest) async -> PaymentVerdict {
        paysAtOnce ? .paid(PaymentConfirmation(gatewayTradeID: "T-\(request.orderID)", amount: request.amount)) : .userPaying
    }
    func query(_ order: OrderReference) async -> PaymentVerdict {
        onQuery.withLock { $0 }?()
        return .userPaying
    }
    func cancel(_ order: OrderReference) async -> CancelVerdict {
        cancels.add(1, ordering: .relaxed)
        return .cancelled
    }
}

/// What the worker reported, in order.
private final class Collected: Sendable {
    let events = Mutex<[TillEvent]>([])
    let notices = Mutex<[String]>([])
}

/// A real ledger file in a fresh folder, a runner on a stepping clock, and a worker whose
/// events and notices are collected in order.
private final class Harness: Sendable {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("TerminalUITests-\(UUID().uuidString)").path
    let ledger: SQLiteLedger
    let gateway: CounterGateway
    let runner: CheckoutRunner
    let collected = Collected()
    static let timeZone = TimeZone(identifier: "Asia/Hong_Kong")!
    static let now = Date(timeIntervalSince1970: 1_763_800_000)  // 2025-11-22 16:26 in Hong Kong
    let worker: TillWorker

    init(paysAtOnce: Bool = true) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
        gateway = CounterGateway(paysAtOnce: paysAtOnce)
        let clock = SteppingClock()
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: Self.timeZone,
                                clock: clock.checkoutClock, wallClock: { Harness.now })
        let services = TillServices(checkPIN: { _ in .notSet }, dayReport: { throw CancellationError() },
                                    closeDay: { throw CancellationError() }, printReceipt: { _ in nil },
                                    exchangeRate: { nil })
        let collected = collected
        worker = TillWorker(runner: runner, ledger: ledger, services: services, timeZone: Self.timeZone,
                            currency: .hkd, wallClock: { Harness.now },
                            post: { event in collected.events.withLock { $0.append(event) } },
                            notify: { text in collected.notices.withLock { $0.append(text) } })
    }

    deinit {
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func order(_ suffix: String, amount: Int64, createdAt: Date, status: OrderStatus) throws -> Order {
        let order = Order(id: try OrderID("S251122000000" + suffix), provider: "counter", method: .scan, wallet: .wechat,
                          amount: Money(minorUnits: amount, currency: .hkd), subject: "Tea",
                          status: status, createdAt: createdAt)
        try ledger.insert(order)
        return order
    }
}

private let wechatCode = try! PaymentCode(scanned: "134567890123456789")

@Test func aScannedPaymentRunsInTheBackgroundAndReportsItsSteps() async throws {
    let harness = try Harness()
    // When the state asks for a payment by code
    harness.worker.perform(.payByCode(Money(minorUnits: 1230, currency: .hkd), wechatCode, subject: "Tea"))
    await harness.worker.drain()
    // Then the screen hears that the order was recorded, then that it was paid
    let events = harness.collected.events.withLock { $0 }
    guard case .checkout(.recorded(let id)) = events.first else {
        Issue.record("the first event should be the recorded order, got \(String(describing: events.first))")
        return
    }
    guard case .checkoutFinished(let report) = events.last else {
        Issue.record("the last event should be the finished checkout")
        return
    }
    #expect(report.order.id == id)
    #expect(report.order.status == .paid)
    #expect(try harness.ledger.order(id)?.status == .paid)
}

@Test func escReachesTheCheckoutWhileARequestIsOnTheWire() async throws {
    // Given a customer who never confirms, and the cashier cancelling during the first query
    let harness = try Harness(paysAtOnce: false)
    let worker = harness.worker
    harness.gateway.onQuery.withLock { $0 = { worker.perform(.cancelCheckout) } }
    harness.worker.perform(.payByCode(Money(minorUnits: 500, currency: .hkd), wechatCode, subject: "Cake"))
    await harness.worker.drain()
    // Then the order is cancelled at the gateway, well before the payment's deadline
    guard case .checkoutFinished(let report) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("the checkout should finish")
        return
    }
    #expect(report.order.status == .cancelled)
    #expect(harness.gateway.cancels.load(ordering: .relaxed) == 1)
}

@Test func aCheckoutTheGatewayCannotDoFailsWithAMessage() async throws {
    let harness = try Harness()
    harness.worker.perform(.payByQR(Money(minorUnits: 500, currency: .hkd), .alipay, subject: "Cake"))
    await harness.worker.drain()
    guard case .checkoutFailed(let why) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("a gateway without QR payments should fail the checkout")
        return
    }
    #expect(why.description.contains("QR"))
}

@Test func historyListsTodaysOrdersNewestFirstWithWhatWasRefunded() async throws {
    let harness = try Harness()
    let hour: TimeInterval = 3600
    let yesterday = try harness.order("YESTER", amount: 900, createdAt: Harness.now - 24 * hour, status: .paid)
    let morning = try harness.order("MORNIN", amount: 2000, createdAt: Harness.now - 6 * hour, status: .paid)
    _ = try harness.order("AFTERN", amount: 350, createdAt: Harness.now - hour, status: .declined)
    // A partial refund of the morning's order
    let refund = try harness.ledger.beginRefund(orderID: morning.id, amount: Money(minorUnits: 500, currency: .hkd),
                                                reason: "broken cup", at: Harness.now - 2 * hour)
    _ = try harness.ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "R1", reason: nil, at: Harness.now - 2 * hour)

    harness.worker.perform(.loadHistory(search: nil))
    await harness.worker.drain()
    guard case .history(let lines) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("history should arrive")
        return
    }
    #expect(lines.map(\.order.id.rawValue) == ["S251122000000AFTERN", "S251122000000MORNIN"])
    #expect(lines.last?.refunded == Money(minorUnits: 500, currency: .hkd))
    #expect(lines.last?.refundable == Money(minorUnits: 1500, currency: .hkd))

    // Searching by order number finds older days too
    harness.worker.perform(.loadHistory(search: "yester"))
    await harness.worker.drain()
    guard case .history(let found) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("search results should arrive")
        return
    }
    #expect(found.map(\.order.id) == [yesterday.id])
}

@Test func historyComesAPageAtATimeAndSearchesAmountsToo() async throws {
    let harness = try Harness()
    // 45 orders today, a minute apart, the newest a minute ago.
    var made: [Order] = []
    for i in 0..<45 {
        made.append(try harness.order(String(format: "P%05d", i), amount: 1000 + Int64(i),
                                      createdAt: Harness.now - Double(45 - i) * 60, status: .declined))
    }
    let newestFirst = made.reversed().map(\.id)

    harness.worker.perform(.loadHistory(search: nil))
    await harness.worker.drain()
    guard case .history(let first) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("the first page should arrive")
        return
    }
    #expect(first.map(\.order.id) == Array(newestFirst.prefix(HistoryView.batch)))

    let cursor = OrderCursor(after: first.last!.order)
    harness.worker.perform(.loadMoreHistory(search: nil, after: cursor))
    await harness.worker.drain()
    guard case .moreHistory(let next, let after) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("the next page should arrive")
        return
    }
    #expect(after == cursor)
    #expect(next.map(\.order.id) == Array(newestFirst.dropFirst(HistoryView.batch)))

    // "10.07" is order 7's amount, HKD 10.07.
    harness.worker.perform(.loadHistory(search: "10.07"))
    await harness.worker.drain()
    guard case .history(let found) = harness.collected.events.withLock({ $0 }).last else {
        Issue.record("search results should arrive")
        return
    }
    #expect(found.map(\.order.id) == [made[7].id])
}
