import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// The ledger against the gateway's own list: what the owner checks at the end of the day.
@Suite struct ReconciliationTests {
    func line(_ kind: GatewayTransaction.Kind, _ order: Order, _ minor: Int64, refund: RefundID? = nil) -> GatewayTransaction {
        GatewayTransaction(kind: kind, orderID: order.id.rawValue, gatewayTradeID: "T-\(order.id)", refundID: refund?.rawValue,
                           amount: hkd(minor), date: "2025-06-15 20:00:00")
    }

    @Test func eachKindOfDisagreementIsReportedApart() async throws {
        let till = try TillFixture()
        let matched = try till.insertOrder("S250615190000MATCH1", amount: 10_00, status: .paid, age: 3600, trade: "T-a")
        let missing = try till.insertOrder("S250615190000MISS01", amount: 20_00, status: .paid, age: 3500, trade: "T-b")
        let cancelled = try till.insertOrder("S250615190000CANC01", amount: 30_00, status: .cancelled, age: 3400)
        let mismatch = try till.insertOrder("S250615190000AMNT01", amount: 40_00, status: .paid, age: 3300, trade: "T-d")
        let refunded = try till.insertOrder("S250615190000RFND01", amount: 50_00, status: .paid, age: 3200, trade: "T-e")
        let refund = try till.ledger.beginRefund(orderID: refunded.id, amount: hkd(5_00), reason: "chipped", at: till.now)
        try till.ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "G-1", reason: nil, at: till.now)
        let strayRefund = RefundID(order: matched.id, sequence: 9)
        till.gateway.script { script in
            script.transactions = [
                line(.payment, matched, 10_00),
                line(.payment, cancelled, 30_00),
                line(.payment, mismatch, 41_00),
                line(.payment, refunded, 50_00),
                line(.refund, matched, 1_00, refund: strayRefund),
            ]
        }

        let report = try await till.runner.reconcile(from: till.now.addingTimeInterval(-7200), to: till.now)

        #expect(!report.isClean)
        #expect(report.matched.map(\.id) == [refunded.id, matched.id] || report.matched.map(\.id) == [matched.id, refunded.id])
        #expect(report.missingAtGateway.map(\.id) == [missing.id])
        #expect(report.missingInLedger.count == 1)
        #expect(report.missingInLedger.first?.0.orderID == cancelled.id.rawValue)
        #expect(report.missingInLedger.first?.1?.status == .cancelled)
        #expect(report.amountMismatches.count == 1)
        #expect(report.amountMismatches.first?.0.id == mismatch.id)
        #expect(report.amountMismatches.first?.1.amount == hkd(41_00))
        #expect(report.refundsMissingAtGateway.map(\.id) == [refund.id])
        #expect(report.refundsMissingInLedger.map(\.refundID) == [strayRefund.rawValue])
    }

    @Test func aLedgerThatAgreesWithTheGatewayIsClean() async throws {
        let till = try TillFixture()
        let paid = try till.insertOrder("S250615190000CLEAN1", amount: 12_30, status: .paid, age: 600, trade: "T-c")
        try till.insertOrder("S250615190000DECL01", amount: 9_00, status: .declined, age: 500)
        let refund = try till.ledger.beginRefund(orderID: paid.id, amount: hkd(2_30), reason: "discount", at: till.now)
        try till.ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "G-2", reason: nil, at: till.now)
        till.gateway.script { script in
            script.transactions = [line(.payment, paid, 12_30), line(.refund, paid, 2_30, refund: refund.id)]
        }

        let report = try await till.runner.reconcile(from: till.now.addingTimeInterval(-3600), to: till.now)

        #expect(report.isClean)
        #expect(report.matched.map(\.id) == [paid.id])
    }

    @Test func aPaymentTheLedgerNeverHeardOfIsMissingInTheLedger() async throws {
        let till = try TillFixture()
        let stranger = Order(id: try OrderID("S250615190000GHOST1"), provider: "scripted", method: .scan, wallet: .wechat,
                             amount: hkd(7_00), subject: "?", createdAt: till.now)
        till.gateway.script { script in script.transactions = [line(.payment, stranger, 7_00)] }

        let report = try await till.runner.reconcile(from: till.now.addingTimeInterval(-3600), to: till.now)

        #expect(report.missingInLedger.count == 1)
        #expect(report.missingInLedger.first?.1 == nil)
        #expect(report.missingInLedger.first?.0.amount == hkd(7_00))
    }
}
