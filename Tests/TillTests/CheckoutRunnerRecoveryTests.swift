import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// Orders left open by a crash, and the owner's look at one order: `resolveOpenOrders`,
/// `status` and `cancel`.
@Suite struct CheckoutRunnerRecoveryTests {
    @Test func openOrdersLeftByACrashAreSettledWithoutEverPayingAgain() async throws {
        let till = try TillFixture()
        // As a power cut leaves them: written down, the pay request possibly sent.
        let old = try till.insertOrder("S250615195000OLD001", amount: 10_00, age: 600)
        let young = try till.insertOrder("S250615200000YNG001", amount: 20_00, age: 30)
        let paid = try till.insertOrder("S250615200000PAY001", amount: 30_00, age: 3)
        till.gateway.script { script in
            script.query = { order, _ in
                order.orderID == paid.id ? .paid(ScriptedGateway.confirmation(order.amount, trade: "T-FOUND")) : .notPaid
            }
        }

        let reports = try await till.runner.resolveOpenOrders()

        #expect(reports.map(\.order.id) == [old.id, young.id, paid.id])
        #expect(till.gateway.payCount == 0)
        // Long past its deadline: asked once, then cancelled.
        #expect(till.gateway.queries(of: old.id) == 1)
        #expect(till.gateway.cancels(of: old.id) == 1)
        #expect(try till.ledger.order(old.id)?.status == .cancelled)
        // Created 30 s ago: its 45 s count from then, so it is asked at 30, 35 and 40 s and cancelled at 45.
        #expect(till.gateway.queries(of: young.id) == 3)
        #expect(till.gateway.cancels(of: young.id) == 1)
        #expect(try till.ledger.order(young.id)?.status == .cancelled)
        // Paid while the till was down.
        #expect(till.gateway.queries(of: paid.id) == 1)
        #expect(till.gateway.cancels(of: paid.id) == 0)
        let found = try #require(try till.ledger.order(paid.id))
        #expect(found.status == .paid)
        #expect(found.gatewayTradeID == "T-FOUND")
        #expect(try till.ledger.orders(withStatus: [.pending, .unknown]).isEmpty)
    }

    @Test func anOrderLeftUnknownIsRetriedAtStartUp() async throws {
        let till = try TillFixture()
        let stuck = try till.insertOrder("S250615195000UNK001", amount: 40_00, status: .unknown, age: 300)

        let reports = try await till.runner.resolveOpenOrders()

        #expect(reports.map(\.result) == [.cancelled(.timedOut(seconds: 45))])
        #expect(till.gateway.calls == [.query(stuck.id), .cancel(stuck.id)])
        #expect(try till.ledger.order(stuck.id)?.status == .cancelled)
    }

    @Test func statusOfACancelledOrderTheGatewayNowCallsPaidReportsADiscrepancy() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000DSC001", amount: 25_00, status: .cancelled, age: 120)
        till.gateway.script { script in
            script.query = { reference, _ in .paid(ScriptedGateway.confirmation(reference.amount, trade: "T-SURPRISE")) }
        }

        let report = try await till.runner.status(order.id)

        let discrepancy = try #require(report.discrepancy)
        #expect(discrepancy == .paidAtGateway(recorded: .cancelled, amount: hkd(25_00), trade: "T-SURPRISE"))
        #expect(discrepancy.description.contains("PAID") && discrepancy.description.contains("T-SURPRISE"))
        // The ledger keeps what it had; the discrepancy is written down for the owner.
        #expect(try till.ledger.order(order.id)?.status == .cancelled)
        #expect(try till.ledger.events(for: order.id).contains { $0.kind == .note && $0.detail.contains("discrepancy") })
        #expect(till.gateway.payCount == 0)
    }

    @Test func statusOfAPaidOrderTheGatewayAgreesWithReportsNoDiscrepancy() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000AGR001", amount: 25_00, status: .paid, age: 120, trade: "T-1")
        till.gateway.script { script in
            script.query = { reference, _ in .paid(ScriptedGateway.confirmation(reference.amount, trade: "T-1")) }
        }

        let report = try await till.runner.status(order.id)

        #expect(report.discrepancy == nil)
        #expect(report.order.status == .paid)
    }

    @Test func cancellingAPaidOrderIsRefusedWithAdviceToRefund() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000PCN001", amount: 25_00, status: .paid, age: 60, trade: "T-2")

        let error = await #expect(throws: TillError.self) { try await till.runner.cancel(order.id) }

        guard case .notApplicable(let why)? = error else {
            Issue.record("expected notApplicable, got \(String(describing: error))")
            return
        }
        #expect(why == .paidNotCancellable(order.id, backOffice: nil))
        #expect(why.description.contains("Refund it instead"))
        #expect(till.gateway.calls.isEmpty)
        #expect(try till.ledger.order(order.id)?.status == .paid)
    }

    @Test func cancellingAPendingOrderByHandAsksOnceMoreThenCancels() async throws {
        let till = try TillFixture()
        let order = try till.insertOrder("S250615200000MAN001", amount: 25_00, age: 5)

        let report = try await till.runner.cancel(order.id)

        #expect(report.result == .cancelled(.cashier))
        #expect(till.gateway.calls == [.query(order.id), .cancel(order.id)])
        #expect(try till.ledger.order(order.id)?.status == .cancelled)
    }
}
