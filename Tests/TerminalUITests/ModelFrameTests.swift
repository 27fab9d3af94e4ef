import CheckoutCore
import Foundation
import Owner
import Testing
import Words
@testable import Till
@testable import TerminalUI

@Suite("Model: every frame's shape")
struct ModelFrameTests {
    /// One state per screen (and per step worth drawing), reached by events as a cashier would.
    static func everyScreen(training: Bool, unicode: Bool = true, words: Words = .english) -> [(String, TillState)] {
        var states: [(String, TillState)] = []
        var sale = Fixture.state(training: training, unicode: unicode, words: words)
        Fixture.type("12.30", into: &sale)
        states.append(("sale", sale))

        var waiting = sale
        _ = waiting.handle(.input(.scan(Fixture.wechatCode)))
        _ = waiting.handle(.checkout(.waiting(reason: .confirming, elapsed: .seconds(2), deadline: .seconds(45), queries: 1)))
        states.append(("waiting", waiting))
        var confirming = waiting
        _ = Fixture.press(.escape, &confirming)
        states.append(("confirm cancel", confirming))

        var qr = sale
        _ = Fixture.press(.character("w"), &qr)
        _ = qr.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56")))
        _ = qr.handle(.checkout(.waiting(reason: .customerScanning, elapsed: .seconds(4), deadline: .seconds(180), queries: 1)))
        states.append(("qr", qr))

        for (name, result) in [("paid", CheckoutResult.paid(PaymentConfirmation(gatewayTradeID: "WT1", amount: Fixture.hkd(1230)))),
                               ("declined", .declined(Decline(.insufficientFunds, gatewayMessage: "NOTENOUGH"))),
                               ("unknown", .unknown("no answer after 45 s")), ("expired", .expired(closed: true)), ("cancelled", .cancelled(.cashier))] {
            var state = waiting
            _ = state.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000HHHHHH", status: result.orderStatus),
                                                              result: result, ledgerProblems: [])))
            states.append((name, state))
        }
        var failed = waiting
        _ = failed.handle(.checkoutFailed("The order could not be written to the ledger."))
        states.append(("failed", failed))

        var menu = Fixture.state(training: training, unicode: unicode, words: words)
        _ = Fixture.press(.character("m"), &menu)
        states.append(("menu", menu))
        var history = menu
        _ = Fixture.press(.character("h"), &history)
        _ = history.handle(.history((0..<40).map { i in
            OrderLine(order: Fixture.order("S2511221200\(10 + i)ZZZZZZ", status: i % 3 == 0 ? .unknown : .paid), refunded: Fixture.hkd(0))
        }))
        _ = Fixture.press(.pageDown, &history)
        states.append(("history", history))
        var refund = ModelOwnerFlowTests.refundPicking(words: words)
        refund.unicode = unicode
        refund.store.training = training
        states.append(("refund picker", refund))
        var refundAmount = refund
        _ = Fixture.press(.enter, &refundAmount)
        states.append(("refund amount", refundAmount))
        var refundConfirm = refundAmount
        _ = Fixture.press(.enter, &refundConfirm)
        Fixture.type("wrong size", into: &refundConfirm)
        _ = Fixture.press(.enter, &refundConfirm)
        states.append(("refund confirm", refundConfirm))
        var pin = menu
        _ = Fixture.press(.character("f"), &pin)
        Fixture.type("12", into: &pin)
        states.append(("pin", pin))
        var z = menu
        _ = Fixture.press(.character("z"), &z)
        states.append(("z confirm", z))
        var x = menu
        _ = Fixture.press(.character("x"), &x)
        _ = x.handle(.report(ModelFrameTests.report))
        states.append(("x report", x))
        var settings = menu
        _ = Fixture.press(.character("g"), &settings)
        states.append(("settings", settings))
        return states
    }

    /// A day with sales in both wallets, a refund and an order still open.
    static let report = DayReport(
        kind: .x, day: "2025-11-22",
        wallets: [DayReport.WalletTotals(wallet: .wechat, count: 3, paid: Fixture.hkd(3690), refunded: Fixture.hkd(500)),
                  DayReport.WalletTotals(wallet: .alipay, count: 1, paid: Fixture.hkd(1230), refunded: Fixture.hkd(0))],
        paid: Fixture.hkd(4920), refunded: Fixture.hkd(500), net: Fixture.hkd(4420),
        countsByStatus: [.paid: 4, .declined: 1, .unknown: 1, .pending: 0, .cancelled: 0, .expired: 0])

    @Test(arguments: [TerminalSize.minimum, TerminalSize(columns: 132, rows: 43)])
    func everyFrameHasExactlyTheTerminalsRowsAndColumns(size: TerminalSize) {
        for (name, state) in Self.everyScreen(training: true) + Self.everyScreen(training: false, unicode: false) {
            let frame = state.render(size: size)
            #expect(frame.rows.count == size.rows, "\(name)")
            for (index, line) in frame.lines.enumerated() {
                #expect(DisplayWidth.of(line) == size.columns, "\(name) row \(index): \(line)")
            }
        }
    }

    @Test func noFrameEverContainsAFullPaymentCode() {
        for (name, state) in Self.everyScreen(training: false) {
            let text = state.render(size: .minimum).text
            #expect(!text.contains(Fixture.wechatCode), "\(name)")
        }
    }

    @Test func trainingIsWrittenOnEveryScreen() {
        for (name, state) in Self.everyScreen(training: true) + Self.everyScreen(training: true, unicode: false) {
            #expect(state.render(size: .minimum).text.contains("TRAINING"), "\(name)")
        }
        for (name, state) in Self.everyScreen(training: false) {
            #expect(!state.render(size: .minimum).text.contains("TRAINING"), "\(name)")
        }
    }

    @Test func asciiModeFramesAreASCIIOnly() {
        for (name, state) in Self.everyScreen(training: true, unicode: false) {
            #expect(state.render(size: .minimum).text.unicodeScalars.allSatisfy { $0.isASCII }, "\(name)")
        }
    }

    @Test func everyScreenShowsItsKeyBindingsInTheFooter() {
        for (name, state) in Self.everyScreen(training: false) {
            let footer = state.render(size: .minimum).lines.last ?? ""
            #expect(footer.trimmingCharacters(in: .whitespaces).count > 5, "\(name)")
        }
    }

    @Test(arguments: [TerminalSize(columns: 79, rows: 24), TerminalSize(columns: 80, rows: 23), TerminalSize(columns: 40, rows: 10)])
    func belowTheMinimumOnlyTheSizeMessageShows(size: TerminalSize) {
        let frame = Fixture.waiting(training: true).render(size: size)
        #expect(frame.rows.count == size.rows)
        #expect(frame.lines.allSatisfy { DisplayWidth.of($0) == size.columns })
        let words = frame.lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        #expect(words == "Make the terminal at least 80×24 (now \(size.columns)×\(size.rows))")
    }

    @Test func wideCharactersCountTwoColumns() {
        var state = Fixture.state()
        state.store.name = "幸運茶室"
        let frame = state.render(size: .minimum)
        #expect(frame.lines[0].contains("幸運茶室"))
        #expect(DisplayWidth.of(frame.lines[0]) == 80)
    }
}
