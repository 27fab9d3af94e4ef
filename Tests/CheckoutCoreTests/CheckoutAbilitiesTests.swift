import CheckoutCore
import Testing

/// Gateways that cannot be asked (CloudPay) or cannot close orders (the aggregator): the
/// checkout completes on the notification alone and never calls an order closed that is not.
@Suite("A checkout with a gateway that cannot query, cancel or close")
struct CheckoutAbilitiesTests {
    let paid = CheckoutDriver.confirmation(1230)

    @Test func withoutQueriesAQROrderIsPaidByItsNotificationAndNothingIsAsked() {
        var driver = CheckoutDriver(.qr, abilities: CheckoutAbilities(query: false, settle: false))
        driver.notification = (.seconds(31), .paid(paid))
        #expect(driver.run() == .paid(paid))
        #expect(driver.checkout.queriesSent == 0)
        #expect(!driver.actions.contains(.sendQuery))
        #expect(driver.time == .seconds(31))
    }

    @Test func withoutCloseAnUnpaidQROrderExpiresAtTheTillOnlyAndIsNeverCalledClosed() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(60)), abilities: CheckoutAbilities(query: false, settle: false))
        let result = driver.run()
        #expect(result == .expired(closed: false))
        #expect(result?.summary.contains("a late payment will be flagged") == true)
        #expect(!driver.actions.contains(.sendSettle))
        #expect(driver.time >= .seconds(60))
    }

    @Test func withQueriesButNoCloseTheQueriesRunThenTheOrderIsLeftOpenAtTheGateway() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(30)), abilities: CheckoutAbilities(query: true, settle: false))
        #expect(driver.run() == .expired(closed: false))
        #expect(driver.checkout.queriesSent > 0)
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func theCashiersEscWithoutCloseEndsAtTheTillAndSendsNothing() {
        var driver = CheckoutDriver(.qr, abilities: CheckoutAbilities(query: true, settle: false))
        driver.cashierCancelsAt = .seconds(7)
        #expect(driver.run() == .expired(closed: false))
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func aScannedPaymentWithoutCancelEndsUnknownNotCancelled() {
        var driver = CheckoutDriver(.scan, abilities: CheckoutAbilities(query: true, settle: false))
        driver.pay = { .userPaying }
        driver.query = { _ in .userPaying }
        guard case .unknown(let why) = driver.run() else { Issue.record("not unknown: \(driver.actions)"); return }
        #expect(why == .cannotCancel(.userPaying))
        #expect(why.description.contains("cannot cancel"))
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func aResumedOrderWithoutQueriesWaitsForItsNotificationUntilTheDeadline() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(180)), abilities: CheckoutAbilities(query: false, settle: false))
        driver.time = .seconds(100)
        driver.notification = (.seconds(150), .paid(paid))
        #expect(driver.run(from: .resume) == .paid(paid))
        #expect(driver.checkout.queriesSent == 0)

        var late = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(180)), abilities: CheckoutAbilities(query: false, settle: false))
        late.time = .seconds(100)
        #expect(late.run(from: .resume) == .expired(closed: false))
    }
}

extension CheckoutAbilitiesTests {
    @Test func aDeclineNotifiedWhileCancellingEndsItInsteadOfWaitingForever() {
        var checkout = Checkout(method: .scan, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        _ = checkout.handle(.payAnswered(.userPaying, at: .seconds(1)))
        _ = checkout.handle(.cashierCancelled(at: .seconds(2)))
        _ = checkout.handle(.settleAnswered(.failed("user paying"), at: .seconds(3)))
        let decline = Decline(.paymentFailed, gatewayMessage: "declined by notification")
        #expect(checkout.handle(.notified(.declined(decline), at: .seconds(4))).last == .finish(.declined(decline)))
    }
}

/// A gateway that can close but not be asked, refusing the close as "already paid": its word
/// is unsigned, so only its notification can end the order paid.
extension CheckoutAbilitiesTests {
    static let closeWithoutQuery = CheckoutAbilities(query: false, settle: true)

    @Test func alreadyPaidWithoutAQueryWaitsForTheNotificationInConfirming() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(30)), abilities: Self.closeWithoutQuery)
        driver.settle = { _ in .alreadyPaid }
        driver.notification = (.seconds(40), .paid(paid))
        #expect(driver.run() == .paid(paid))
        #expect(!driver.actions.contains(.sendQuery))
        #expect(driver.time == .seconds(40))
        #expect(driver.actions.contains(.record(.pending, note: "the gateway says the order is paid: waiting for its signed notification")))
    }

    @Test func alreadyPaidWithoutAQueryAndNoNotificationEndsUnknownAfterTheGraceNeverPaid() {
        let policy = CheckoutPolicy(qrTimeout: .seconds(30), notificationGrace: .seconds(20))
        var driver = CheckoutDriver(.qr, policy: policy, abilities: Self.closeWithoutQuery)
        driver.settle = { _ in .alreadyPaid }
        guard case .unknown(let why) = driver.run() else { Issue.record("not unknown: \(driver.actions)"); return }
        #expect(why == .paidUnconfirmed(.close, seconds: 20))
        #expect(why.description.contains("signed notification did not come within 20 s"))
        #expect(!driver.actions.contains(.sendQuery))
        // Closed at 30.1 s, the grace counted from the close's answer.
        #expect(driver.time >= .milliseconds(30_100) + .seconds(20))
        #expect(driver.time < .milliseconds(30_100) + .seconds(21))
    }

    @Test func aNonFinalNotificationWhileConfirmingWithoutAQueryKeepsWaiting() {
        var checkout = Checkout(method: .qr, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy(), abilities: Self.closeWithoutQuery)
        _ = checkout.handle(.start)
        _ = checkout.handle(.qrAnswered(.created(payload: "https://pay.example.com/pay"), at: .seconds(1)))
        _ = checkout.handle(.cashierCancelled(at: .seconds(2)))
        _ = checkout.handle(.settleAnswered(.alreadyPaid, at: .seconds(3)))
        #expect(checkout.phase == .confirming)
        #expect(checkout.handle(.notified(.notPaid, at: .seconds(4))) == [.wait(.seconds(5))])
        #expect(checkout.handle(.waited(at: .seconds(9))) == [.wait(.seconds(5))])
        #expect(checkout.handle(.notified(.paid(paid), at: .seconds(10))).last == .finish(.paid(paid)))
    }

    @Test func withAQueryAlreadyPaidStillConfirmsByAsking() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(30)))
        driver.settle = { _ in .alreadyPaid }
        driver.query = { at in at > .seconds(30) ? .paid(CheckoutDriver.confirmation(1230)) : .notPaid }
        #expect(driver.run() == .paid(paid))
        #expect(driver.actions.filter { $0 == .sendQuery }.count > 1)
    }
}

/// CloudPay's underpayment: money came in, but less than the price allows.
extension CheckoutAbilitiesTests {
    static let short = PaymentConfirmation(gatewayTradeID: "5005", amount: Money(minorUnits: 1230, currency: .hkd),
                                           received: Money(minorUnits: 850, currency: .hkd))

    @Test func anUnderpaidNotificationEndsTheWaitAtOnceNotPaidAndRecordedWithItsTrade() {
        var driver = CheckoutDriver(.qr, abilities: CheckoutAbilities(query: false, settle: false))
        driver.notification = (.seconds(31), .underpaid(Self.short))
        let result = driver.run()
        #expect(result == .underpaid(Self.short))
        #expect(result?.orderStatus == .declined)
        #expect(result?.summary.hasPrefix("UNDERPAID: HKD 8.50 of HKD 12.30 received (gateway trade 5005)") == true, "\(String(describing: result?.summary))")
        #expect(driver.time == .seconds(31))
        #expect(driver.actions.contains(.record(.declined, note: CheckoutResult.underpaid(Self.short).summary, gatewayOrderID: "5005")))
    }

    @Test func anUnderpaidNotificationWhileSettlingEndsItAndAnotherPriceIsNoWordOnThisOrder() {
        var checkout = Checkout(method: .qr, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy(), abilities: Self.closeWithoutQuery)
        _ = checkout.handle(.start)
        _ = checkout.handle(.qrAnswered(.created(payload: "https://pay.example.com/pay"), at: .seconds(1)))
        _ = checkout.handle(.cashierCancelled(at: .seconds(2)))
        #expect(checkout.handle(.notified(.underpaid(Self.short), at: .seconds(3))).last == .finish(.underpaid(Self.short)))

        var other = Checkout(method: .qr, amount: Money(minorUnits: 999, currency: .hkd), policy: CheckoutPolicy(), abilities: Self.closeWithoutQuery)
        _ = other.handle(.start)
        _ = other.handle(.qrAnswered(.created(payload: "https://pay.example.com/pay"), at: .seconds(1)))
        guard case .finish(.unknown(let why))? = other.handle(.notified(.underpaid(Self.short), at: .seconds(2))).last else {
            Issue.record("an underpayment of another price ended the order otherwise"); return
        }
        #expect(why.description.contains("HKD 8.50 of HKD 12.30 received for an order of HKD 9.99"), "\(why)")
    }
}
