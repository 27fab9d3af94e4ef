import CheckoutCore
import Foundation
import Owner
import Testing
@testable import Till
@testable import TerminalUI

/// A gateway that cannot be asked (CloudPay): the screen counts notifications, not queries,
/// and a payment that needs attention says so instead of "hand over the goods".
@Suite("Model: waiting on notifications alone")
struct ModelNotificationWaitTests {
    @Test func theWaitShowsTheNotificationsReceivedInsteadOfQueries() {
        var state = Fixture.waiting()
        _ = state.handle(.checkout(.waiting(reason: .notification(gateway: "CloudPay"), elapsed: .seconds(3),
                                            deadline: .seconds(180), queries: 0, notifications: 0)))
        var screen = Fixture.screen(state)
        #expect(screen.contains("Received    0 notifications"), "\(screen)")
        #expect(screen.contains("waiting for CloudPay's notification"), "\(screen)")
        #expect(!screen.contains("Queries"), "\(screen)")

        _ = state.handle(.checkout(.waiting(reason: .notification(gateway: "CloudPay"), elapsed: .seconds(8),
                                            deadline: .seconds(180), queries: 0, notifications: 1)))
        screen = Fixture.screen(state)
        #expect(screen.contains("Received    1 notification"), "\(screen)")
    }

    @Test func aPaidOrderThatNeedsAttentionSaysWhyRatherThanHandOverTheGoods() {
        var state = Fixture.waiting()
        var order = Fixture.order("S251122120000DDDDDD", status: .paid)
        order.attention = "overpaid: the customer paid HKD 15.30 for an order of HKD 12.30 (trade 5001), HKD 3.00 more than asked; give the difference back"
        _ = state.handle(.checkoutFinished(CheckoutReport(order: order,
            result: .paid(PaymentConfirmation(gatewayTradeID: "5001", amount: Fixture.hkd(1230), received: Fixture.hkd(1530))), ledgerProblems: [])))
        let screen = Fixture.screen(state)
        #expect(screen.contains("PAID"), "\(screen)")
        #expect(screen.contains("Received: HKD 15.30 (what the customer really paid)"), "\(screen)")
        #expect(screen.contains("NEEDS ATTENTION: overpaid: the customer paid HKD 15.30"), "\(screen)")
        #expect(!screen.contains("Hand over the goods."), "\(screen)")
    }

    @Test func anUnderpaymentSaysWhatCameInOfWhatAndClearsTheSale() {
        var state = Fixture.waiting()
        var order = Fixture.order("S251122120000EEEEEE", status: .declined)
        order.received = Fixture.hkd(850)
        order.attention = "underpaid: HKD 8.50 of HKD 12.30 received (trade 5005), so the order is not paid"
        let short = PaymentConfirmation(gatewayTradeID: "5005", amount: Fixture.hkd(1230), received: Fixture.hkd(850))
        let commands = state.handle(.checkoutFinished(CheckoutReport(order: order, result: .underpaid(short), ledgerProblems: [])))
        #expect(commands.isEmpty, "no receipt for an order that is not paid: \(commands)")
        let screen = Fixture.screen(state)
        #expect(screen.contains("UNDERPAID: HKD 8.50 of HKD 12.30 received"), "\(screen)")
        #expect(screen.contains("Not paid: do not hand over the goods."), "\(screen)")
        #expect(!screen.contains("DECLINED"), "\(screen)")
        #expect(state.sale.amountText.isEmpty, "the amount stays keyed, inviting a second full charge")
    }

    @Test func theXReportAddsTheMoneyReceivedAndSaysWhereItDiffers() {
        var state = Fixture.state()
        #expect(Fixture.press(.function(5), &state) == [.loadReport])
        let shortOrder = try! OrderID("S251122120003CCCCCC")
        var figures = DayReport(kind: .x, day: "2025-11-22",
                                wallets: [.init(wallet: .alipay, count: 2, paid: Fixture.hkd(2230), received: Fixture.hkd(3079), refunded: Fixture.hkd(0))],
                                paid: Fixture.hkd(2230), received: Fixture.hkd(3079), refunded: Fixture.hkd(0), net: Fixture.hkd(2230),
                                countsByStatus: [.paid: 2, .declined: 1])
        figures.receivedDifferences = [
            ReceivedDifference(orderID: shortOrder, status: .declined, price: Fixture.hkd(1230), received: Fixture.hkd(850)),
            ReceivedDifference(orderID: try! OrderID("S251122120001AAAAAA"), status: .paid, price: Fixture.hkd(1230), received: Fixture.hkd(1229)),
        ]
        figures.attention = [shortOrder]
        _ = state.handle(.report(figures))
        let screen = Fixture.screen(state)
        #expect(screen.contains("Received"), "\(screen)")
        #expect(screen.contains("HKD 30.79"), "\(screen)")
        #expect(screen.contains("Received differs from the price on 2 orders"), "\(screen)")
        #expect(screen.contains("S251122120003CCCCCC: HKD 8.50 received of HKD 12.30 (declined)"), "\(screen)")
        #expect(screen.contains("underpaid"), "\(screen)")
    }
}
