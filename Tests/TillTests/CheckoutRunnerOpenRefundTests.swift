import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Synchronization
import Testing
import TestSupport
import Till

/// Refunds left open by an earlier run, and refunds two shroffs on one ledger could both want
/// to send: the start-up sweep (`resolveOpenRefunds`) and a refund's owner.
@Suite struct CheckoutRunnerOpenRefundTests {
    /// A paid order and a refund of it that an earlier process began, sent without a clear
    /// answer and then ended (a crash or a closed till): unknown, its owner gone.
    private func refundLeftByAnEndedRun(_ till: TillFixture, _ id: String, gatewayRefundID: String? = nil) throws -> (Order, Refund) {
        let order = try till.insertOrder(id, amount: 40_00, status: .paid, age: 600, trade: "T-1")
        let earlier = try SQLiteLedger(path: till.ledgerPath)
        let refund = try earlier.beginRefund(orderID: order.id, amount: hkd(15_00), reason: "returned", at: till.now)
        try earlier.updateRefund(refund.id, status: .unknown, gatewayRefundID: gatewayRefundID, reason: "timed out", at: till.now)
        try earlier.close()
        return (order, refund)
    }

    @Test func aRefundLeftUnknownIsSettledByTheStartUpSweep() async throws {
        let till = try TillFixture()
        let (order, refund) = try refundLeftByAnEndedRun(till, "S250615200000SWP001")
        let asked = Observed<[RefundRequest]>([])
        till.gateway.script { script in
            script.refund = { request, _ in
                asked.update { $0.append(request) }
                return .refunded(gatewayRefundID: "G-1")
            }
        }

        let reports = try await till.runner.resolveOpenRefunds()

        #expect(reports.map(\.outcome) == [.refunded] && reports.map(\.refund.id) == [refund.id])
        // Asked once, under its own number, as a refund that may have gone through before.
        #expect(till.gateway.refundIDs == [refund.id])
        #expect(asked.current.map(\.mayHaveBeenSent) == [true])
        let settled = try #require(try till.ledger.refunds(for: order.id).first)
        #expect(settled.status == .refunded && settled.gatewayRefundID == "G-1" && settled.owner == nil)
        #expect(try till.ledger.refundableRemainder(of: order.id) == hkd(25_00))
        #expect(try till.ledger.unresolvedRefunds().isEmpty)
    }

    @Test func aRefundStillUnclearIsAskedOnceAndLeftForLaterWithItsAmountHeld() async throws {
        let till = try TillFixture()
        let (order, refund) = try refundLeftByAnEndedRun(till, "S250615200000SWP002", gatewayRefundID: "re_1")
        let asked = Observed<[RefundRequest]>([])
        till.gateway.script { script in
            script.refund = { request, _ in
                asked.update { $0.append(request) }
                return .inDoubt("no answer")
            }
        }

        let reports = try await till.runner.resolveOpenRefunds()

        #expect(reports.map(\.outcome) == [.unknown(.noClearAnswer("no answer"))])
        #expect(reports.first?.outcome.summary.contains("asked about again at the next start") == true)
        // Once: a sweep does not wait out retries, the cashier's next sale is behind it.
        #expect(till.gateway.refundIDs == [refund.id] && till.clock.sleepsTaken.isEmpty)
        // The gateway's number from the earlier answer goes with the request.
        #expect(asked.current.map(\.gatewayRefundID) == ["re_1"])
        let left = try #require(try till.ledger.refunds(for: order.id).first)
        #expect(left.status == .unknown && left.owner == nil, "left owned: no other shroff could retry it")
        #expect(try till.ledger.refundableRemainder(of: order.id) == hkd(25_00))
    }

    @Test func theSweepLeavesARefundAnotherLiveShroffIsSending() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000SWP003", amount: 40_00, status: .paid, age: 600, trade: "T-1")
        let other = try SQLiteLedger(path: till.ledgerPath)
        defer { try? other.close() }
        _ = try other.beginRefund(orderID: order.id, amount: hkd(15_00), reason: "returned", at: till.now)

        #expect(try await till.runner.resolveOpenRefunds().isEmpty)
        #expect(till.gateway.refundIDs.isEmpty)
    }

    @Test func twoShroffsNeverSendOneRefundAtOnce() async throws {
        // Given a till whose refund request is on the wire, waiting for the gateway
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000TWO001", amount: 40_00, status: .paid, age: 600, trade: "T-1")
        let onTheWire = Gate(), answer = Gate()
        till.gateway.script { script in
            script.refund = { _, rank in
                onTheWire.open()
                if rank == 1 { await answer.wait() }
                return .inDoubt("no answer")
            }
        }
        let first = Task { try await till.runner.refund(order.id, amount: nil, reason: "returned") }
        await onTheWire.wait()
        let refundID = try #require(try till.ledger.refunds(for: order.id).first?.id)

        // When another shroff on the same ledger (`shroff refund`) is asked to refund the order
        let second = try SecondShroff(besides: till)
        defer { second.close() }
        await #expect(throws: TillError.refundInProgressElsewhere(refundID)) {
            try await second.runner.refund(order.id, amount: nil, reason: "returned")
        }
        // Then it sends nothing, its sweep leaves the refund alone, and so does the till's own sweep
        #expect(try await second.runner.resolveOpenRefunds().isEmpty)
        #expect(try await till.runner.resolveOpenRefunds().isEmpty)
        #expect(second.gateway.refundIDs.isEmpty && till.gateway.refundIDs == [refundID])
        #expect(TillError.refundInProgressElsewhere(refundID).description.contains("Nothing was sent"))

        // Once the till has given up on it (unknown, let go), the other shroff may retry it
        answer.open()
        let report = try await first.value
        #expect(report.refund.status == .unknown && report.remaining == hkd(0))
        second.gateway.script { script in script.refund = { request, _ in .refunded(gatewayRefundID: "G-\(request.refundID)") } }
        let retried = try await second.runner.refund(order.id, amount: nil, reason: "returned")
        #expect(retried.outcome == .refunded && retried.retriedEarlierRefund && retried.refund.id == refundID)
        #expect(second.gateway.refundIDs == [refundID])
        #expect(try till.ledger.refunds(for: order.id).map(\.status) == [.refunded])
    }

    @Test func aNewRefundsFirstAttemptIsMarkedNeverSentAndItsRetriesMayHaveBeen() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000NEW001", amount: 40_00, status: .paid, age: 600, trade: "T-1")
        let earlier = try till.ledger.beginRefund(orderID: order.id, amount: hkd(10_00), reason: "one cup", at: till.now)
        try till.ledger.updateRefund(earlier.id, status: .refunded, gatewayRefundID: "re_first", reason: nil, at: till.now)
        let asked = Observed<[RefundRequest]>([])
        till.gateway.script { script in
            script.refund = { request, rank in
                asked.update { $0.append(request) }
                return rank < 3 ? .inDoubt("no answer") : .refunded(gatewayRefundID: "re_second")
            }
        }

        let report = try await till.runner.refund(order.id, amount: hkd(10_00), reason: "another cup")

        #expect(report.outcome == .refunded)
        #expect(asked.current.map(\.mayHaveBeenSent) == [false, true, true])
        // The order's other refunds are never taken for this one.
        #expect(asked.current.map(\.otherGatewayRefundIDs) == Array(repeating: ["re_first"], count: 3))
    }
}

/// Another process on the same ledger file: its own `Ledger` (so its own lease), gateway and runner.
private struct SecondShroff {
    let ledger: SQLiteLedger
    let gateway = ScriptedGateway()
    let runner: CheckoutRunner

    init(besides till: TillFixture) throws {
        ledger = try SQLiteLedger(path: till.ledgerPath)
        let clock = till.clock
        runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: TillFixture.timeZone,
                                clock: clock.checkoutClock, wallClock: { TillFixture.wallTime(clock) })
    }

    func close() { try? ledger.close() }
}

/// Opens once; everyone waiting, before or after, goes on. Lets a test hold a gateway's answer
/// until it has looked at the world, without any fixed delay.
private final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state = (true, []) }
            return state.open ? [] : state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }
}
