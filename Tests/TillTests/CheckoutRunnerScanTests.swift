import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// A scanned payment through the runner: what the ledger holds, what the gateway was asked, and
/// when — on a stepping clock, so no test waits for a poll.
@Suite struct CheckoutRunnerScanTests {
    @Test func theOrderIsPendingInTheLedgerBeforePayIsSent() async throws {
        let till = try TillFixture()
        let seenAtPay = Observed<Order?>(nil)
        till.gateway.script { [ledger = till.ledger] script in
            script.pay = { request in
                seenAtPay.set(try? ledger.order(request.orderID))
                return .paid(ScriptedGateway.confirmation(request.amount, trade: "T-PAID-1"))
            }
        }

        let report = try await till.runner.payByCode(hkd(12_30), code: try scannedCode(), subject: "Two coffees")

        let atPay = try #require(seenAtPay.current)
        #expect(atPay.status == .pending)
        #expect(atPay.amount == hkd(12_30))
        #expect(atPay.maskedCode == "1345**********6789")
        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(12_30), trade: "T-PAID-1")))
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .paid)
        #expect(stored.gatewayTradeID == "T-PAID-1")
    }

    @Test func aLedgerThatCannotBeWrittenStopsThePaymentBeforeTheGateway() async throws {
        let till = try TillFixture()
        try till.ledger.close()

        let error = await #expect(throws: TillError.self) {
            try await till.runner.payByCode(hkd(12_30), code: try scannedCode(), subject: "Two coffees")
        }

        guard case .notRecorded? = error else {
            Issue.record("expected notRecorded, got \(String(describing: error))")
            return
        }
        #expect(till.gateway.calls.isEmpty)
        #expect(error?.description.contains("nothing was sent") == true)
    }

    @Test func aCustomerConfirmingOnThePhoneIsQueriedEveryPollIntervalUntilPaid() async throws {
        let till = try TillFixture()
        let queryTimes = Observed<[Duration]>([])
        till.gateway.script { [clock = till.clock] script in
            script.pay = { _ in .userPaying }
            script.query = { order, rank in
                queryTimes.update { $0.append(clock.now.offset) }
                return answer(rank, from: [.userPaying, .userPaying, .paid(ScriptedGateway.confirmation(order.amount, trade: "T-42"))])
            }
        }
        let report = try await till.runner.payByCode(hkd(88_00), code: try scannedCode(), subject: "Tea set")

        // The 15 s of polling passed on the stepping clock: these are its sleeps, not real ones.
        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(88_00), trade: "T-42")))
        #expect(queryTimes.current == [.seconds(5), .seconds(10), .seconds(15)])
        #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5), .seconds(5)])
        #expect(till.gateway.payCount == 1)

        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .paid)
        #expect(stored.gatewayTradeID == "T-42")
        let attempts = try till.ledger.attempts(for: report.order.id)
        #expect(attempts.map(\.operation) == [.pay, .query, .query, .query])
        #expect(attempts.allSatisfy { $0.finishedAt != nil })
        #expect(attempts.map(\.outcome) == ["user paying", "user paying", "user paying", "paid HKD 88.00 (trade T-42)"])
    }

    /// Whatever the gateway says, one order gets exactly one `pay`.
    @Test(arguments: [
        [PaymentVerdict.inDoubt("timed out"), .notFound, .inDoubt("HTTP 502"), .notPaid],
        [.userPaying, .rejected(GatewayProblem(code: "303", message: "missing out_trade_no")), .userPaying],
        [.inDoubt("connection reset"), .inDoubt("wrong signature")],
        [.notFound],
    ])
    func neverASecondPayForOneOrder(answers: [PaymentVerdict]) async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.pay = { _ in answers[0] }
            script.query = { _, rank in answer(rank, from: Array(answers.dropFirst()) + [.notPaid]) }
        }

        let report = try await till.runner.payByCode(hkd(20_00), code: try scannedCode(), subject: "Lunch")

        #expect(till.gateway.payCount == 1)
        #expect(report.result.orderStatus == .cancelled)
        #expect(till.gateway.cancels(of: report.order.id) == 1)
        #expect(try till.ledger.order(report.order.id)?.status == .cancelled)
    }

    @Test func aTimedOutPayThatWentThroughEndsPaidAfterOneQuery() async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.pay = { _ in .inDoubt("the server did not answer in time") }
            script.query = { order, _ in .paid(ScriptedGateway.confirmation(order.amount, trade: "T-LATE")) }
        }

        let report = try await till.runner.payByCode(hkd(45_60), code: try scannedCode(), subject: "Books")

        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(45_60), trade: "T-LATE")))
        #expect(till.gateway.calls == [.pay(report.order.id), .query(report.order.id)])
        let attempts = try till.ledger.attempts(for: report.order.id)
        #expect(attempts.first?.outcome == "in doubt: the server did not answer in time")
        #expect(try till.ledger.order(report.order.id)?.status == .paid)
    }

    @Test func paidForAnotherAmountIsNotBelievedAndEndsUnknown() async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.pay = { _ in .paid(ScriptedGateway.confirmation(hkd(1_00))) }
        }

        let report = try await till.runner.payByCode(hkd(100_00), code: try scannedCode(), subject: "Shoes")

        guard case .unknown(let why) = report.result else {
            Issue.record("expected unknown, got \(report.result)")
            return
        }
        #expect(why.description.contains("HKD 1.00") && why.description.contains("HKD 100.00"))
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .unknown)
        #expect(stored.statusReason?.contains("HKD 1.00") == true)
    }

    @Test func aCancelRefusedThreeTimesEndsUnknownWithTheReason() async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.pay = { _ in .userPaying }
            script.query = { _, _ in .userPaying }
            script.cancel = { _, _ in .failed("the customer is still confirming the payment") }
        }

        let report = try await till.runner.payByCode(hkd(66_00), code: try scannedCode(), subject: "Wine")

        guard case .unknown(let why) = report.result else {
            Issue.record("expected unknown, got \(report.result)")
            return
        }
        #expect(why.description.contains("could not be cancelled") && why.description.contains("still confirming"))
        #expect(till.gateway.cancels(of: report.order.id) == 3)
        #expect(till.gateway.payCount == 1)
        // Polled until the 45 s deadline, then two retries of the cancel 3 s apart.
        #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 9) + [.seconds(3), .seconds(3)])
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .unknown)
        #expect(stored.statusReason?.contains("could not be cancelled") == true)
    }

    @Test func theCashierCancellingWhileWaitingCancelsTheOrderAtTheGateway() async throws {
        let till = try TillFixture()
        let control = CheckoutControl()
        till.gateway.script { script in
            script.pay = { _ in .userPaying }
            script.query = { _, rank in
                if rank == 2 { control.requestCancel() }  // Esc pressed while the second query is out
                return .userPaying
            }
        }

        let report = try await till.runner.payByCode(hkd(30_00), code: try scannedCode(), subject: "Cake", control: control)

        #expect(report.result == .cancelled(.cashier))
        #expect(till.gateway.queries(of: report.order.id) == 2)
        #expect(till.gateway.cancels(of: report.order.id) == 1)
        #expect(till.gateway.calls.last == .cancel(report.order.id))
        #expect(try till.ledger.order(report.order.id)?.status == .cancelled)
    }

    @Test func aCancelAnsweredAlreadyPaidIsConfirmedByAQueryAndEndsPaid() async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.pay = { _ in .userPaying }
            script.query = { order, rank in
                rank < 9 ? .userPaying : .paid(ScriptedGateway.confirmation(order.amount, trade: "T-JUST-IN-TIME"))
            }
            script.cancel = { _, _ in .alreadyPaid }
        }

        let report = try await till.runner.payByCode(hkd(15_00), code: try scannedCode(), subject: "Tea")

        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(15_00), trade: "T-JUST-IN-TIME")))
        #expect(try till.ledger.order(report.order.id)?.status == .paid)
        #expect(till.gateway.payCount == 1)
    }
}
