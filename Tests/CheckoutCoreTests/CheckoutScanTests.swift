import CheckoutCore
import Testing

@Suite("A scanned payment: pospay, then queries on a schedule, then a cancel")
struct CheckoutScanTests {
    let declined = Decline(.insufficientFunds, gatewayMessage: "NOT_ENOUGH")

    @Test func immediateSuccessRecordsBeforeSendingAndEndsPaid() {
        var driver = CheckoutDriver(.scan)
        let result = driver.run()
        #expect(result == .paid(CheckoutDriver.confirmation(1230)))
        #expect(driver.actions.first == .record(.pending, note: "charging the payment code"))
        #expect(driver.actions[1] == .sendPay)
        #expect(driver.checkout.queriesSent == 0)
        guard case .record(.paid, _, "1000201711291233"?) = driver.actions[2] else { Issue.record("no paid record: \(driver.actions)"); return }
    }

    @Test func aClearDeclineEndsAtOnceWithTheReason() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .declined(declined) }
        #expect(driver.run() == .declined(declined))
        #expect(driver.checkout.queriesSent == 0)
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func aRefusedRequestIsAConfigurationErrorNotAPayment() {
        let problem = GatewayProblem(code: "301", message: "SIGN_ERROR")
        var driver = CheckoutDriver(.scan)
        driver.pay = { .rejected(problem) }
        let result = driver.run()
        #expect(result == .rejected(problem))
        #expect(result?.orderStatus == .declined)
    }

    @Test func userPayingIsQueriedEveryIntervalUntilPaid() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { at in at >= .seconds(8) ? .paid(CheckoutDriver.confirmation(1230)) : .notPaid }
        #expect(driver.run() == .paid(CheckoutDriver.confirmation(1230)))
        #expect(driver.checkout.queriesSent == 2)
        #expect(driver.queryTimes == [.milliseconds(5100), .milliseconds(10200)])
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func userPayingForeverIsCancelledWithin45Seconds() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        let result = driver.run()
        guard case .cancelled(let why) = result else { Issue.record("\(String(describing: result))"); return }
        #expect(why == .timedOut(seconds: 45))
        // Queries every 5 s; the last wait is cut to the deadline; the cancel goes out at 45 s.
        #expect(driver.queryTimes.count == 8)
        #expect(driver.queryTimes.allSatisfy { $0 < .seconds(45) })
        let cancelAt = driver.times(of: .sendSettle)
        #expect(cancelAt.count == 1)
        #expect(cancelAt[0] >= .seconds(45) && cancelAt[0] < .seconds(46))
        #expect(result?.orderStatus == .cancelled)
    }

    @Test func theLastWaitIsCutToTheDeadline() {
        var driver = CheckoutDriver(.scan, policy: CheckoutPolicy(pollInterval: .seconds(4), payTimeout: .seconds(10)))
        driver.latency = .zero
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.run()
        let waits = driver.actions.compactMap { if case .wait(let d) = $0 { d } else { nil } }
        #expect(waits == [.seconds(4), .seconds(4), .seconds(2)])
    }

    @Test func aTimeoutIsNotAFailureTheOrderIsQueried() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .inDoubt("timed out") }
        driver.query = { _ in .paid(CheckoutDriver.confirmation(1230)) }
        #expect(driver.run() == .paid(CheckoutDriver.confirmation(1230)))
        #expect(driver.actions.filter { $0 == .sendPay }.count == 1)
        #expect(driver.checkout.queriesSent == 1)
    }

    @Test func neverASecondPospay() {
        for first in [PaymentVerdict.inDoubt("HTTP 502"), .userPaying, .notFound, .notPaid] {
            var driver = CheckoutDriver(.scan)
            driver.pay = { first }
            driver.query = { _ in .inDoubt("timed out") }
            driver.settle = { _ in .cancelled }
            driver.run()
            #expect(driver.actions.filter { $0 == .sendPay }.count == 1)
        }
    }

    @Test func aPaidAnswerForAnotherAmountIsNotBelieved() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .paid(CheckoutDriver.confirmation(123)) }
        let result = driver.run()
        guard case .unknown(let why) = result else { Issue.record("\(String(describing: result))"); return }
        #expect(why.description.contains("HKD 1.23"))
    }

    @Test func aCancelThatKeepsFailingLeavesTheOrderUnknown() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.settle = { _ in .failed("USER_PAYING") }
        let result = driver.run()
        guard case .unknown(let why) = result else { Issue.record("\(String(describing: result))"); return }
        #expect(why == .notSettled(.cancel, why: "USER_PAYING"))
        #expect(why.description.contains("could not be cancelled"))
        #expect(driver.actions.filter { $0 == .sendSettle }.count == 3)
        #expect(result?.orderStatus == .unknown)
    }

    @Test func aCancelThatSucceedsOnRetryEndsCancelled() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.settle = { n in n < 2 ? .failed("timed out") : .cancelled }
        guard case .cancelled = driver.run() else { Issue.record("not cancelled"); return }
        #expect(driver.actions.filter { $0 == .sendSettle }.count == 2)
    }

    @Test func aCancelRefusedAsUnauthorisedLeavesItUnknownAtOnce() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.settle = { _ in .rejected(GatewayProblem(code: "302", message: "NO_PRIVILEGE")) }
        guard case .unknown(let why) = driver.run() else { Issue.record("not unknown"); return }
        #expect(why == .settleRefused(.cancel, GatewayProblem(code: "302", message: "NO_PRIVILEGE")))
        #expect(driver.actions.filter { $0 == .sendSettle }.count == 1)
    }

    @Test func paidWhenCancellingIsConfirmedByAQuery() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        var answers = 0
        driver.query = { _ in answers += 1; return answers > 8 ? .paid(CheckoutDriver.confirmation(1230)) : .userPaying }
        driver.settle = { _ in .alreadyPaid }
        #expect(driver.run() == .paid(CheckoutDriver.confirmation(1230)))
    }

    @Test func paidWhenCancellingButNotOnQueryIsUnknown() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.settle = { _ in .alreadyPaid }
        guard case .unknown = driver.run() else { Issue.record("not unknown"); return }
    }

    @Test func theCashierCancelsWhileWaiting() {
        var driver = CheckoutDriver(.scan)
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        driver.cashierCancelsAt = .seconds(12)
        #expect(driver.run() == .cancelled(.cashier))
        #expect(driver.times(of: .sendSettle) == [.seconds(12)])
    }

    @Test func aCancelPressedWhilePospayIsOnTheWireWaitsForItsAnswer() {
        var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        #expect(checkout.handle(.cashierCancelled(at: .milliseconds(50))) == [])
        // Paid after all: the payment stands.
        var paidCopy = checkout
        let paidActions = paidCopy.handle(.payAnswered(.paid(CheckoutDriver.confirmation(1230)), at: .seconds(1)))
        #expect(paidActions.last == .finish(.paid(CheckoutDriver.confirmation(1230))))
        // Still paying: cancel at once instead of waiting.
        let actions = checkout.handle(.payAnswered(.userPaying, at: .seconds(1)))
        #expect(actions.last == .sendSettle)
    }

    @Test func aResumedOrderPastItsDeadlineIsQueriedThenCancelled() {
        var driver = CheckoutDriver(.scan)
        driver.time = .seconds(600)  // found pending ten minutes after it was created
        driver.query = { _ in .notFound }
        let result = driver.run(from: .resume)
        guard case .cancelled = result else { Issue.record("\(String(describing: result))"); return }
        #expect(driver.actions.first == .record(.pending, note: "resuming an order left pending"))
        #expect(driver.actions.filter { $0 == .sendQuery }.count == 1)
        #expect(!driver.actions.contains(.sendPay))
    }

    @Test func aResumedOrderThatWasPaidEndsPaid() {
        var driver = CheckoutDriver(.scan)
        driver.time = .seconds(600)
        driver.query = { _ in .paid(CheckoutDriver.confirmation(1230)) }
        #expect(driver.run(from: .resume) == .paid(CheckoutDriver.confirmation(1230)))
    }

    @Test func lateAndDuplicateAnswersChangeNothing() {
        var driver = CheckoutDriver(.scan)
        driver.run()
        let before = driver.checkout
        for event: Checkout.Event in [.payAnswered(.declined(declined), at: .seconds(1)), .queryAnswered(.notPaid, at: .seconds(2)),
                                      .settleAnswered(.cancelled, at: .seconds(3)), .waited(at: .seconds(4)),
                                      .cashierCancelled(at: .seconds(5)), .start, .resume,
                                      .notified(.paid(CheckoutDriver.confirmation(1230)), at: .seconds(6))] {
            #expect(driver.checkout.handle(event) == [])
        }
        #expect(driver.checkout == before)
    }

    @Test func anAnswerBeforeItsRequestIsABugThatStopsTheRunner() async {
        // Not ignored like a late answer: the runner sends one request at a time, so this
        // can only be a fault in it, and carrying on could record a payment nobody asked for.
        await #expect(processExitsWith: .failure) {
            var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
            _ = checkout.handle(.queryAnswered(.paid(PaymentConfirmation(gatewayTradeID: "T", amount: Money(minorUnits: 1230, currency: .hkd))), at: .zero))
        }
    }

    @Test func aNotificationWhileWaitingEndsItPaidWithoutAnotherQuery() {
        var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        #expect(checkout.handle(.payAnswered(.userPaying, at: .seconds(1))).last == .wait(.seconds(5)))
        let actions = checkout.handle(.notified(.paid(CheckoutDriver.confirmation(1230)), at: .seconds(3)))
        #expect(actions == [.record(.paid, note: CheckoutResult.paid(CheckoutDriver.confirmation(1230)).summary, gatewayOrderID: "1000201711291233"),
                            .finish(.paid(CheckoutDriver.confirmation(1230)))])
        #expect(checkout.queriesSent == 0)
    }

    @Test func aNotificationForAnotherAmountIsNotBelievedAsPaid() {
        var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        _ = checkout.handle(.payAnswered(.userPaying, at: .seconds(1)))
        guard case .finish(.unknown(let why))? = checkout.handle(.notified(.paid(CheckoutDriver.confirmation(1)), at: .seconds(2))).last else {
            Issue.record("a paid notification for HKD 0.01 ended otherwise"); return
        }
        #expect(why == .amountMismatch(reported: Money(minorUnits: 1, currency: .hkd), ordered: Money(minorUnits: 1230, currency: .hkd)))
    }

    @Test func aPaymentNotifiedWhileCancellingEndsPaidAndALaterCancelAnswerIsIgnored() {
        var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        _ = checkout.handle(.payAnswered(.userPaying, at: .seconds(1)))
        #expect(checkout.handle(.cashierCancelled(at: .seconds(2))).last == .sendSettle)
        #expect(checkout.handle(.settleAnswered(.failed("user paying"), at: .seconds(3))) == [.wait(.seconds(3))])
        #expect(checkout.handle(.notified(.notPaid, at: .seconds(4))) == [.wait(.seconds(3))])
        #expect(checkout.handle(.notified(.paid(CheckoutDriver.confirmation(1230)), at: .seconds(5))).last == .finish(.paid(CheckoutDriver.confirmation(1230))))
        #expect(checkout.handle(.settleAnswered(.cancelled, at: .seconds(6))) == [])
    }

    @Test func everyRequestIsPrecededByARecordOfTheOrder() {
        let payScripts: [PaymentVerdict] = [.paid(CheckoutDriver.confirmation(1230)), .userPaying, .inDoubt("x"), .declined(declined), .notFound]
        let settles: [CancelVerdict] = [.cancelled, .failed("x"), .alreadyPaid, .rejected(GatewayProblem(code: "1", message: "x"))]
        for pay in payScripts {
            for settle in settles {
                var driver = CheckoutDriver(.scan)
                driver.pay = { pay }
                driver.query = { _ in .userPaying }
                driver.settle = { _ in settle }
                let result = driver.run()
                #expect(result != nil)
                let firstSend = driver.actions.firstIndex { [.sendPay, .sendQuery, .sendSettle].contains($0) }
                let firstRecord = driver.actions.firstIndex { if case .record = $0 { true } else { false } }
                #expect(firstRecord != nil && firstSend != nil && firstRecord! < firstSend!)
                // The ledger's last word is the result's status.
                let lastRecord = driver.actions.last { if case .record = $0 { true } else { false } }
                if case .record(let status, _, _)? = lastRecord { #expect(status == result?.orderStatus) }
            }
        }
    }
}
