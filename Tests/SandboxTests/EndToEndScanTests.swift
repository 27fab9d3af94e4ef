import CheckoutCore
import Foundation
import Ledger
import Sandbox
import Testing
import TestSupport
import Till
import WantuGateway

/// Every pospay scenario of the sandbox, paid by scanned code through the real till: the
/// result the cashier sees, the ledger's final word, and the sandbox's own view of the order.
@Suite struct EndToEndScanTests {
    @Test func aPaymentAcceptedAtOnceIsPaidWithTheSandboxTradeNumber() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_00)

            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: atSandbox.tradeID, amount: EndToEndTill.hkd(12_00),
                                                               paidAt: atSandbox.tradeTime)))
            #expect(atSandbox.status == .paid)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 0)
            let stored = try #require(try till.ledger.order(report.order.id))
            #expect(stored.status == .paid)
            #expect(stored.gatewayTradeID == atSandbox.tradeID)
            #expect(till.clock.sleepsTaken.isEmpty)
        }
    }

    @Test(arguments: [(Int64(12_01), DeclineReason.insufficientFunds), (12_02, .codeInvalid), (12_03, .codeExpired)])
    func aDeclinedPaymentEndsDeclinedWithNothingTaken(amount: Int64, reason: DeclineReason) async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(amount)

            guard case .declined(let decline) = report.result else {
                Issue.record("expected declined, got \(report.result)")
                return
            }
            #expect(decline.reason == reason)
            #expect(try till.ledger.order(report.order.id)?.status == .declined)
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.status == .failed)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 0)
            #expect(atSandbox.cancelCalls == 0)
        }
    }

    @Test func aCustomerConfirmingAfterEightSecondsIsPaidOnTheSecondQuery() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_04)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == EndToEndTill.hkd(12_04))
            #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5)])
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.status == .paid)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 2)
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func aCustomerWhoNeverConfirmsIsCancelledAtTheDeadline() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_05)

            #expect(report.result == .cancelled(.timedOut(seconds: 45)))
            #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 9))
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.status == .closed)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 8)
            #expect(atSandbox.cancelCalls == 1)
            #expect(try till.ledger.order(report.order.id)?.status == .cancelled)
        }
    }

    @Test func aSystemErrorThatWentThroughIsFoundPaidByAQuery() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_06)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(confirmation.gatewayTradeID == atSandbox.tradeID)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(attempts.map(\.operation) == [.pay, .query])
            #expect(attempts.first?.outcome.contains("SYSTEM_ERROR") == true)
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func aPayThatIsNeverAnsweredTimesOutAndIsFoundPaidByAQuery() async throws {
        try await EndToEndTill.run { till in
            let started = ContinuousClock.now
            let report = try await till.pay(12_07)

            #expect(ContinuousClock.now - started >= EndToEndTill.requestTimeout)
            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == EndToEndTill.hkd(12_07))
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(attempts.map(\.operation) == [.pay, .query])
            #expect(attempts.first?.outcome.hasPrefix("in doubt") == true)
            #expect(try till.ledger.order(report.order.id)?.gatewayTradeID == atSandbox.tradeID)
        }
    }

    /// The till keeps its connection to Wantu alive across sales; a pospay whose connection then
    /// dies unanswered must not be sent again by the HTTP library on a new one.
    @Test func aPayWhoseConnectionClosesUnansweredReachesWantuOnceAndIsFoundPaidByAQuery() async throws {
        try await EndToEndTill.run { till in
            // Given a sale settled by queries, which leave the connection to Wantu open
            guard case .paid = try await till.pay(12_04).result else {
                Issue.record("the first sale was not paid")
                return
            }

            // When the next sale's pospay is carried out and its connection closes unanswered
            let report = try await till.pay(12_15)

            // Then Wantu received that pospay once, and the till, in doubt, asked and found it paid
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.gatewayTradeID == atSandbox.tradeID)
            #expect(confirmation.amount == EndToEndTill.hkd(12_15))
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(attempts.map(\.operation) == [.pay, .query])
            #expect(attempts.first?.outcome.hasPrefix("in doubt") == true)
            #expect(attempts.first?.outcome.contains("may have arrived") == true)
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func aSuccessWithABadSignatureIsNotBelievedUntilASignedQuerySaysPaid() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_08)

            guard case .paid = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(attempts.map(\.operation) == [.pay, .query])
            #expect(attempts.first?.outcome.contains("signature") == true)
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1)
        }
    }

    @Test func aCancelRefusedWhileTheCustomerKeepsConfirmingEndsUnknown() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(12_09)

            guard case .unknown(let why) = report.result else {
                Issue.record("expected unknown, got \(report.result)")
                return
            }
            #expect(why.description.contains("could not be cancelled"))
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.status == .notPaid)
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.cancelCalls == 3)
            let stored = try #require(try till.ledger.order(report.order.id))
            #expect(stored.status == .unknown)
            #expect(stored.statusReason?.contains("could not be cancelled") == true)
        }
    }

    @Test func aTillWithTheWrongKeyNeverBelievesAnAnswerAndNeverMarksAnythingPaid() async throws {
        try await EndToEndTill.run(key: "not-the-training-key") { till in
            let report = try await till.pay(12_00)

            // The sandbox refused every request (SIGN_ERROR), so it holds no order at all ...
            #expect(await till.atSandbox(report.order) == nil)
            #expect(await till.sandbox.orderNumbers.isEmpty)
            // ... and the till, unable to verify even those refusals, took none of them as paid. It
            // cannot tell a refusal from a forgery either, so it ends unknown rather than rejected.
            guard case .unknown(let why) = report.result else {
                Issue.record("expected unknown, got \(report.result)")
                return
            }
            #expect(why.description.contains("signature"))
            #expect(try till.ledger.order(report.order.id)?.status != .paid)
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(!attempts.isEmpty)
            #expect(attempts.allSatisfy { $0.outcome.contains("signature") })
        }
    }
}
