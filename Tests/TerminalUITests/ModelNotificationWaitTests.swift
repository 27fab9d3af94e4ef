import CheckoutCore
import Foundation
import Testing
@testable import Till
@testable import TerminalUI

/// A gateway that cannot be asked (CloudPay): the screen counts notifications, not queries,
/// and a payment that needs attention says so instead of "hand over the goods".
@Suite("Model: waiting on notifications alone")
struct ModelNotificationWaitTests {
    @Test func theWaitShowsTheNotificationsReceivedInsteadOfQueries() {
        var state = Fixture.waiting()
        _ = state.handle(.checkout(.waiting(reason: "waiting for CloudPay's notification", elapsed: .seconds(3),
                                            deadline: .seconds(180), queries: 0, notifications: 0)))
        var screen = Fixture.screen(state)
        #expect(screen.contains("Received    0 notifications"), "\(screen)")
        #expect(screen.contains("waiting for CloudPay's notification"), "\(screen)")
        #expect(!screen.contains("Queries"), "\(screen)")

        _ = state.handle(.checkout(.waiting(reason: "waiting for CloudPay's notification", elapsed: .seconds(8),
                                            deadline: .seconds(180), queries: 0, notifications: 1)))
        screen = Fixture.screen(state)
        #expect(screen.contains("Received    1 notification"), "\(screen)")
    }

    @Test func aPaidOrderThatNeedsAttentionSaysWhyRatherThanHandOverTheGoods() {
        var state = Fixture.waiting()
        var order = Fixture.order("S251122120000DDDDDD", status: .paid)
        order.attention = "the customer really paid HKD 12.29 for this order of HKD 12.30 (trade 5001): settle the difference"
        _ = state.handle(.checkoutFinished(CheckoutReport(order: order,
            result: .paid(PaymentConfirmation(gatewayTradeID: "5001", amount: Fixture.hkd(1230))), ledgerProblems: [])))
        let screen = Fixture.screen(state)
        #expect(screen.contains("PAID"), "\(screen)")
        #expect(screen.contains("NEEDS ATTENTION: the customer really paid HKD 12.29"), "\(screen)")
        #expect(!screen.contains("Hand over the goods."), "\(screen)")
    }
}
