import CheckoutCore
import Foundation
import Ledger
import Testing
@testable import TerminalUI

@Suite("Model: the history asks the ledger for pages")
struct ModelHistoryPagingTests {
    static func lines(_ range: Range<Int>) -> [OrderLine] {
        range.map { i in
            OrderLine(order: Fixture.order(String(format: "S25112212%010d", 1000 - i), status: .paid), refunded: Fixture.hkd(0))
        }
    }

    static func history(first: [OrderLine]) -> TillState {
        var state = Fixture.state()
        #expect(Fixture.press(.function(3), &state) == [.loadHistory(search: nil)])
        _ = state.handle(.history(first))
        return state
    }

    @Test func nearingTheEndOfAFullPageAsksOnceForTheNextAfterItsLastOrder() {
        let first = Self.lines(0..<HistoryView.batch)
        var state = Self.history(first: first)
        let cursor = OrderCursor(after: first.last!.order)

        var asked: [TillCommand] = []
        for _ in 0..<(HistoryView.batch - 1) { asked += Fixture.press(.down, &state) }

        #expect(asked == [.loadMoreHistory(search: nil, after: cursor)])
        #expect(Fixture.screen(state).contains("/\(HistoryView.batch)+"))  // "n/40+": more to come

        // The next page is appended; a short page says there is no more.
        _ = state.handle(.moreHistory(Self.lines(HistoryView.batch..<(HistoryView.batch + 5)), after: cursor))
        #expect(state.history.lines.count == HistoryView.batch + 5)
        var later: [TillCommand] = []
        for _ in 0..<10 { later += Fixture.press(.down, &state) }
        #expect(later.isEmpty)
        #expect(state.history.selected == HistoryView.batch + 4)
        #expect(Fixture.screen(state).contains(Self.lines(44..<45)[0].order.id.rawValue))
    }

    @Test func aShortFirstPageAsksForNothingMore() {
        var state = Self.history(first: Self.lines(0..<3))
        var asked: [TillCommand] = []
        for key in [Key.down, .down, .down, .end, .pageDown] { asked += Fixture.press(key, &state) }
        #expect(asked.isEmpty)
    }

    @Test func aPageForAnEarlierListIsDropped() {
        let first = Self.lines(0..<HistoryView.batch)
        var state = Self.history(first: first)
        let cursor = OrderCursor(after: first.last!.order)
        #expect(Fixture.press(.end, &state) == [.loadMoreHistory(search: nil, after: cursor)])

        // The cashier searches before the page comes: the late page must not join the results.
        _ = Fixture.press(.character("/"), &state)
        Fixture.type("12.30", into: &state)
        #expect(Fixture.press(.enter, &state) == [.loadHistory(search: "12.30")])
        _ = state.handle(.history(Self.lines(0..<2)))
        _ = state.handle(.moreHistory(Self.lines(40..<45), after: cursor))

        #expect(state.history.lines == Self.lines(0..<2))
        #expect(Fixture.screen(state).contains("Orders of every day matching \"12.30\""))
        _ = state.handle(.history([]))
        #expect(Fixture.screen(state).contains("No order matches that number, code, trade or amount."))
    }
}
