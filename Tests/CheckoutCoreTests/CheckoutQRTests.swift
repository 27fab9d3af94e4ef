import CheckoutCore
import Testing

@Suite("A QR order: create, show, query until paid, close when abandoned or expired")
struct CheckoutQRTests {
    let payload = "weixin://wxpay/bizpayurl?pr=abc"

    @Test func paidAfterTheCustomerScans() {
        var driver = CheckoutDriver(.qr)
        driver.query = { at in at >= .seconds(20) ? .paid(CheckoutDriver.confirmation(1230)) : .notPaid }
        #expect(driver.run() == .paid(CheckoutDriver.confirmation(1230)))
        #expect(driver.actions.prefix(2) == [.record(.pending, note: "creating the QR order"), .sendCreateQR])
        #expect(driver.actions.contains(.showQR(payload)))
        #expect(driver.checkout.queriesSent == 4)
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func unpaidUntilTheDeadlineIsClosedAndExpires() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(60)))
        let result = driver.run()
        #expect(result == .expired(closed: true))
        #expect(result?.orderStatus == .expired)
        #expect(driver.times(of: .sendSettle).count == 1)
        #expect(driver.times(of: .sendSettle)[0] >= .seconds(60))
        #expect(driver.queryTimes.allSatisfy { $0 < .seconds(61) })
    }

    @Test func theCashierAbandonsTheOrder() {
        var driver = CheckoutDriver(.qr)
        driver.cashierCancelsAt = .seconds(7)
        #expect(driver.run() == .cancelled(.cashier))
    }

    @Test func aCloseThatFailsLeavesItUnknownBecauseTheCustomerMayStillPay() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(30)))
        driver.settle = { _ in .failed("HTTP 503") }
        guard case .unknown(let why) = driver.run() else { Issue.record("not unknown"); return }
        #expect(why == .notSettled(.close, why: "HTTP 503"))
        #expect(why.description.contains("could not be closed"))
    }

    @Test func paidJustBeforeItWasClosed() {
        var driver = CheckoutDriver(.qr, policy: CheckoutPolicy(qrTimeout: .seconds(30)))
        // The customer pays while the close is on the wire.
        nonisolated(unsafe) var closeSent = false
        driver.query = { _ in closeSent ? .paid(CheckoutDriver.confirmation(1230)) : .notPaid }
        driver.settle = { _ in closeSent = true; return .alreadyPaid }
        #expect(driver.run() == .paid(CheckoutDriver.confirmation(1230)))
    }

    @Test func aDeclinedCreationEndsWithoutClosing() {
        var driver = CheckoutDriver(.qr)
        let decline = Decline(.unsupportedCurrency, gatewayMessage: "UNSUPPORTED_CURRENCY")
        driver.createQR = { .failed(.declined(decline)) }
        #expect(driver.run() == .declined(decline))
        #expect(!driver.actions.contains(.sendSettle))
    }

    @Test func aCreationWithoutAClearAnswerIsClosed() {
        var driver = CheckoutDriver(.qr)
        driver.createQR = { .failed(.inDoubt("timed out")) }
        guard case .cancelled(let why) = driver.run() else { Issue.record("not cancelled"); return }
        guard case .creationFailed(let detail) = why else { Issue.record("cancelled because \(why)"); return }
        #expect(detail.description.contains("timed out"))
        #expect(driver.actions.contains(.sendSettle))
        #expect(!driver.actions.contains { if case .showQR = $0 { true } else { false } })
    }

    @Test func cancelledWhileCreatingIsClosedOnceCreated() {
        var checkout = Checkout(method: .qr, amount: Money(minorUnits: 1230, currency: .hkd), policy: CheckoutPolicy())
        _ = checkout.handle(.start)
        #expect(checkout.handle(.cashierCancelled(at: .zero)) == [])
        let actions = checkout.handle(.qrAnswered(.created(payload: payload), at: .seconds(1)))
        #expect(actions.last == .sendSettle)
        #expect(!actions.contains(.showQR(payload)))
    }
}
