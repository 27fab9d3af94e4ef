import CheckoutCore
import Foundation
import Owner
import Testing
import Words
@testable import Till
@testable import TerminalUI

@Suite("Model: menu, history, refund and reports")
struct ModelOwnerFlowTests {
    static let paidLine = OrderLine(order: Fixture.order("S251122110000PAID01", status: .paid, amount: 10000), refunded: Fixture.hkd(3000))
    static let unknownLine = OrderLine(order: Fixture.order("S251122113000UNKN01", status: .unknown, amount: 500), refunded: Fixture.hkd(0))

    /// A state on the refund screen, PIN accepted, history loaded.
    static func refundPicking(words: Words = .english) -> TillState {
        var state = Fixture.state(words: words)
        _ = Fixture.press(.function(4), &state)
        Fixture.type("2468", into: &state)
        #expect(Fixture.press(.enter, &state) == [.checkPIN("2468")])
        #expect(state.handle(.pinChecked(.accepted)) == [.loadHistory(search: nil)])
        _ = state.handle(.history([unknownLine, paidLine]))
        return state
    }

    @Test func theMenuListsEveryEntryWithItsKeys() {
        var state = Fixture.state()
        _ = Fixture.press(.character("m"), &state)
        let screen = Fixture.screen(state)
        for entry in ["F3", "History", "F4", "Refund", "F5", "X report", "F6", "Z report", "F7", "Settings", "F10", "Quit"] {
            #expect(screen.contains(entry), "menu lacks \(entry)")
        }
        #expect(Fixture.press(.character("q"), &state) == [.quit])
    }

    @Test func historyListsSearchesAndRequeriesOpenOrders() {
        var state = Fixture.state()
        #expect(Fixture.press(.function(3), &state) == [.loadHistory(search: nil)])
        _ = state.handle(.history([Self.unknownLine, Self.paidLine]))
        let screen = Fixture.screen(state)
        #expect(screen.contains("S251122113000UNKN01"))
        #expect(screen.contains("UNKNOWN"))
        #expect(screen.contains("100.00"))
        #expect(screen.contains("30.00"))  // refunded so far

        #expect(Fixture.press(.enter, &state) == [.requery(Self.unknownLine.order.id)])
        _ = state.handle(.requeryFailed(.gateway(.noAnswer("timed out"))))
        _ = Fixture.press(.down, &state)
        #expect(Fixture.press(.enter, &state).isEmpty)  // paid: nothing to settle
        #expect(Fixture.screen(state).contains("nothing to settle"))

        _ = Fixture.press(.character("/"), &state)
        Fixture.type("PAID01", into: &state)
        #expect(Fixture.press(.enter, &state) == [.loadHistory(search: "PAID01")])
    }

    @Test func wrongPINsAndTheLockoutAreExplained() {
        var state = Fixture.state()
        _ = Fixture.press(.character("m"), &state)
        _ = Fixture.press(.character("f"), &state)
        Fixture.type("1357", into: &state)
        #expect(!Fixture.screen(state).contains("1357"))
        #expect(Fixture.screen(state).contains("••••"))
        #expect(Fixture.press(.enter, &state) == [.checkPIN("1357")])
        _ = state.handle(.pinChecked(.rejected(attemptsLeft: 2)))
        #expect(Fixture.screen(state).contains("Wrong PIN. 2 attempts left"))

        Fixture.type("0000", into: &state)
        _ = Fixture.press(.enter, &state)
        _ = state.handle(.pinChecked(.lockedOut(until: Fixture.noon.addingTimeInterval(300))))
        #expect(Fixture.screen(state).contains("refunds are locked until 12:05"))

        Fixture.type("1", into: &state)
        _ = Fixture.press(.enter, &state)
        _ = state.handle(.pinChecked(.notSet))
        #expect(Fixture.screen(state).contains("Set a manager PIN with `shroff set-pin`"))
    }

    @Test func aRefundAboveTheRemainderIsRefusedAndTheRestGoesThrough() {
        var state = Self.refundPicking()
        let picker = Fixture.screen(state)
        #expect(picker.contains("S251122110000PAID01"))
        #expect(!picker.contains("S251122113000UNKN01"))  // not paid: nothing to refund
        _ = Fixture.press(.enter, &state)
        #expect(state.refund.amountText == "70.00")  // the remainder by default

        _ = Fixture.press(.delete, &state)
        Fixture.type("80", into: &state)
        #expect(Fixture.press(.enter, &state).isEmpty)
        #expect(Fixture.screen(state).contains("At most HKD 70.00 can be refunded"))

        _ = Fixture.press(.delete, &state)
        Fixture.type("25.50", into: &state)
        _ = Fixture.press(.enter, &state)
        #expect(Fixture.press(.enter, &state).isEmpty)  // no reason yet
        Fixture.type("Spilled drink", into: &state)
        _ = Fixture.press(.enter, &state)
        #expect(Fixture.screen(state).contains("Refund HKD 25.50 to the customer's WeChat Pay? y/n"))
        let commands = Fixture.press(.character("y"), &state)
        #expect(commands == [.refund(Self.paidLine.order.id, Fixture.hkd(2550), reason: "Spilled drink")])
        #expect(Fixture.press(.function(10), &state).isEmpty)  // no quitting mid-refund

        let refund = Refund(id: RefundID(order: Self.paidLine.order.id, sequence: 2), orderID: Self.paidLine.order.id,
                            amount: Fixture.hkd(2550), reason: "Spilled drink", status: .refunded, createdAt: Fixture.noon)
        let done = state.handle(.refundFinished(RefundReport(refund: refund, outcome: .refunded, retriedEarlierRefund: false,
                                                             remaining: Fixture.hkd(4450))))
        #expect(done.count == 1)  // the refund receipt
        let screen = Fixture.screen(state)
        #expect(screen.contains("REFUNDED HKD 25.50"))
        #expect(screen.contains("S251122110000PAID01R2"))
        #expect(screen.contains("Still refundable: HKD 44.50"))
    }

    @Test func theZReportAsksBeforeClosingTheDay() {
        var state = Fixture.state()
        #expect(Fixture.press(.function(6), &state).isEmpty)
        #expect(Fixture.screen(state).contains("Close the day? y/n"))
        #expect(Fixture.press(.character("y"), &state) == [.closeDay])
        let figures = DayReport(kind: .z, day: "2025-11-22",
                                wallets: [.init(wallet: .wechat, count: 3, paid: Fixture.hkd(4500), refunded: Fixture.hkd(500))],
                                paid: Fixture.hkd(4500), refunded: Fixture.hkd(500), net: Fixture.hkd(4000),
                                countsByStatus: [.paid: 3, .unknown: 1], closedAt: Fixture.noon)
        _ = state.handle(.dayClosed(figures))
        let screen = Fixture.screen(state)
        #expect(screen.contains("closed at 12:00"))
        #expect(screen.contains("HKD 40.00"))
        #expect(screen.contains("unknown 1"))
        #expect(screen.contains("still pending or unknown"))
    }

    @Test func theXReportLoadsAndSettingsShowTheSummary() {
        var state = Fixture.state()
        #expect(Fixture.press(.function(5), &state) == [.loadReport])
        #expect(Fixture.screen(state).contains("Loading"))
        _ = Fixture.press(.function(7), &state)
        #expect(Fixture.screen(state).contains("/var/lib/shroff/ledger.sqlite"))
    }

    @Test func aLongSettingWrapsInsteadOfBeingCutOff() {
        let mode = "training (no configuration file; payments go to the built-in sandbox)"
        let store = TillState.Store(name: "Lucky Tea", currency: .hkd, timeZone: Fixture.utc, training: true,
                                    settings: [(label: "Mode", value: mode)])
        var state = TillState(store: store, unicode: true, wall: Fixture.noon)
        _ = state.handle(.tick(now: .seconds(100), wall: Fixture.noon))
        _ = Fixture.press(.function(7), &state)
        let screen = Fixture.screen(state)
        #expect(screen.contains("built-in sandbox)"))
        #expect(screen.contains("training (no configuration file;"))
    }
}
