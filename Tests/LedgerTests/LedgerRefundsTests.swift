import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing

@Suite("Ledger: refunds")
struct LedgerRefundsTests {
    @Test func partialRefundsUpToThePaidAmountThenOneMoreMinorUnitIsRefused() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger, amount: hkd(100_00))

        _ = try ledger.beginRefund(orderID: paid.id, amount: hkd(30_00), reason: "one cup returned", at: base)
        #expect(try ledger.refundableRemainder(of: paid.id) == hkd(70_00))
        _ = try ledger.beginRefund(orderID: paid.id, amount: hkd(70_00), reason: "the rest", at: base)
        #expect(try ledger.refundableRemainder(of: paid.id) == hkd(0))

        #expect(throws: LedgerError.refundExceedsRemainder(requested: hkd(1), remaining: hkd(0))) {
            try ledger.beginRefund(orderID: paid.id, amount: hkd(1), reason: "one cent more", at: base)
        }
        #expect(try ledger.refunds(for: paid.id).count == 2)
    }

    @Test func aRefundOneMinorUnitOverTheRemainderIsRefusedAndNothingWritten() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger, amount: hkd(50_00))
        _ = try ledger.beginRefund(orderID: paid.id, amount: hkd(20_00), reason: "part", at: base)

        #expect(throws: LedgerError.refundExceedsRemainder(requested: hkd(30_01), remaining: hkd(30_00))) {
            try ledger.beginRefund(orderID: paid.id, amount: hkd(30_01), reason: "too much", at: base)
        }
        #expect(try ledger.refunds(for: paid.id).map(\.amount) == [hkd(20_00)])
        let exact = try ledger.beginRefund(orderID: paid.id, amount: hkd(30_00), reason: "exact", at: base)
        #expect(exact.amount == hkd(30_00))
    }

    @Test func pendingAndUnknownRefundsCountAgainstTheRemainderFailedOnesDoNot() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger, amount: hkd(100_00))
        let pending = try ledger.beginRefund(orderID: paid.id, amount: hkd(10_00), reason: "a", at: base)
        let unknown = try ledger.beginRefund(orderID: paid.id, amount: hkd(20_00), reason: "b", at: base)
        let failing = try ledger.beginRefund(orderID: paid.id, amount: hkd(40_00), reason: "c", at: base)
        try ledger.updateRefund(unknown.id, status: .unknown, gatewayRefundID: nil, reason: "timeout", at: base)
        #expect(try ledger.refundableRemainder(of: paid.id) == hkd(30_00))

        try ledger.updateRefund(failing.id, status: .failed, gatewayRefundID: nil, reason: "declined", at: base)

        #expect(try ledger.refundableRemainder(of: paid.id) == hkd(70_00))
        #expect(throws: LedgerError.refundExceedsRemainder(requested: hkd(70_01), remaining: hkd(70_00))) {
            try ledger.beginRefund(orderID: paid.id, amount: hkd(70_01), reason: "d", at: base)
        }
        #expect(try ledger.refunds(for: paid.id).first(where: { $0.id == pending.id })?.status == .pending)
    }

    @Test func aRefundedRefundStillCounts() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger, amount: hkd(10_00))
        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(4_00), reason: "a", at: base)

        let done = try ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "GR1", reason: nil,
                                           at: base.addingTimeInterval(5))

        #expect(done.status == .refunded)
        #expect(done.gatewayRefundID == "GR1")
        #expect(done.updatedAt == base.addingTimeInterval(5))
        #expect(try ledger.refundableRemainder(of: paid.id) == hkd(6_00))
    }

    @Test(arguments: [OrderStatus.pending, .unknown, .declined, .cancelled, .expired])
    func anOrderThatIsNotPaidCannotBeRefunded(_ status: OrderStatus) throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        if status != .pending {
            try ledger.updateOrder(order.id, status: status, gatewayTradeID: nil, reason: nil, at: base)
        }

        #expect(throws: LedgerError.orderNotPaid(status)) {
            try ledger.beginRefund(orderID: order.id, amount: hkd(1_00), reason: "x", at: base)
        }
        #expect(try ledger.refunds(for: order.id).isEmpty)
        #expect(try ledger.refundableRemainder(of: order.id) == hkd(0))
    }

    @Test func refundsOfMissingOrdersWrongCurrenciesOrNothingAreRefused() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let missing = try OrderID("S250615120000NOPE00")

        #expect(throws: LedgerError.orderNotFound(missing)) {
            try ledger.beginRefund(orderID: missing, amount: hkd(1), reason: "x", at: base)
        }
        #expect(throws: LedgerError.currencyMismatch(order: .hkd, requested: .cny)) {
            try ledger.beginRefund(orderID: paid.id, amount: Money(minorUnits: 1, currency: .cny), reason: "x", at: base)
        }
        #expect(throws: LedgerError.amountNotPositive(hkd(0))) {
            try ledger.beginRefund(orderID: paid.id, amount: hkd(0), reason: "x", at: base)
        }
        #expect(throws: LedgerError.orderNotFound(missing)) { try ledger.refundableRemainder(of: missing) }
    }

    @Test func refundNumbersAreSequentialPerOrder() throws {
        let ledger = try SQLiteLedger.inMemory()
        let first = try paidOrder(in: ledger, "S250615120000FIRST1")
        let second = try paidOrder(in: ledger, "S250615120000SECND2")

        let a1 = try ledger.beginRefund(orderID: first.id, amount: hkd(1_00), reason: "a", at: base)
        let b1 = try ledger.beginRefund(orderID: second.id, amount: hkd(1_00), reason: "b", at: base)
        let a2 = try ledger.beginRefund(orderID: first.id, amount: hkd(1_00), reason: "c", at: base)
        try ledger.updateRefund(a2.id, status: .failed, gatewayRefundID: nil, reason: nil, at: base)
        let a3 = try ledger.beginRefund(orderID: first.id, amount: hkd(1_00), reason: "d", at: base)

        #expect([a1.id, a2.id, a3.id] == (1...3).map { RefundID(order: first.id, sequence: $0) })
        #expect(b1.id == RefundID(order: second.id, sequence: 1))
        #expect(a1.id.rawValue == "S250615120000FIRST1R1")
        #expect(try ledger.refunds(for: first.id).map(\.id) == [a1.id, a2.id, a3.id])
    }

    @Test func aBegunRefundReadsBackAsPendingWithAnEvent() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let at = base.addingTimeInterval(100)

        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(12_34), reason: "damaged", at: at)

        #expect(refund == Refund(id: RefundID(order: paid.id, sequence: 1), orderID: paid.id, amount: hkd(12_34),
                                 reason: "damaged", status: .pending, createdAt: at))
        #expect(try ledger.refunds(for: paid.id) == [refund])
        let last = try #require(try ledger.events(for: paid.id).last)
        #expect(last.kind == .refundCreated)
        #expect(last.refundID == refund.id)
    }

    @Test func aRefundedRefundIsFinalButMayBeConfirmedAgain() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let refund = try ledger.beginRefund(orderID: paid.id, amount: hkd(5_00), reason: "a", at: base)
        let done = try ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "GR7", reason: nil, at: base)

        #expect(throws: LedgerError.refundIsFinal(refund.id, status: .refunded, requested: .failed)) {
            try ledger.updateRefund(refund.id, status: .failed, gatewayRefundID: nil, reason: "late", at: base)
        }
        #expect(throws: LedgerError.refundIsFinal(refund.id, status: .refunded, requested: .pending)) {
            try ledger.updateRefund(refund.id, status: .pending, gatewayRefundID: nil, reason: nil, at: base)
        }
        let again = try ledger.updateRefund(refund.id, status: .refunded, gatewayRefundID: "GR7", reason: nil,
                                            at: base.addingTimeInterval(9))
        #expect(again == done)
        let missing = RefundID(order: paid.id, sequence: 9)
        #expect(throws: LedgerError.refundNotFound(missing)) {
            try ledger.updateRefund(missing, status: .refunded, gatewayRefundID: nil, reason: nil, at: base)
        }
    }

    @Test func unresolvedRefundsArePendingOrUnknownOldestFirst() throws {
        let ledger = try SQLiteLedger.inMemory()
        let paid = try paidOrder(in: ledger)
        let r1 = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "a", at: base)
        let r2 = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "b", at: base.addingTimeInterval(1))
        let r3 = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "c", at: base.addingTimeInterval(2))
        let r4 = try ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "d", at: base.addingTimeInterval(3))
        try ledger.updateRefund(r2.id, status: .unknown, gatewayRefundID: nil, reason: "timeout", at: base)
        try ledger.updateRefund(r3.id, status: .refunded, gatewayRefundID: "G3", reason: nil, at: base)
        try ledger.updateRefund(r4.id, status: .failed, gatewayRefundID: nil, reason: nil, at: base)

        #expect(try ledger.unresolvedRefunds().map(\.id) == [r1.id, r2.id])
    }

    @Test func concurrentRefundsNeverAddUpToMoreThanWasPaid() async throws {
        try await withTemporaryFolder { folder in
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            let paid = try paidOrder(in: ledger, amount: hkd(10_00))

            // Twenty tills racing to refund 1.00 each from a 10.00 order.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        (try? ledger.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "race \(index)", at: base)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }

            #expect(outcomes.filter { $0 }.count == 10)
            #expect(try ledger.refundableRemainder(of: paid.id) == hkd(0))
            #expect(try ledger.refunds(for: paid.id).map(\.id) == (1...10).map { RefundID(order: paid.id, sequence: $0) })
        }
    }
}
