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
        for (name, doubt) in ModelFrameTests.doubts {
            var doubting = waiting
            _ = doubting.handle(.checkout(.waiting(reason: .doubt(doubt), elapsed: .seconds(9), deadline: .seconds(45), queries: 3)))
            states.append(("waiting: \(name)", doubting))
        }

        var qr = sale
        _ = Fixture.press(.character("w"), &qr)
        _ = qr.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56")))
        _ = qr.handle(.checkout(.waiting(reason: .customerScanning, elapsed: .seconds(4), deadline: .seconds(180), queries: 1)))
        states.append(("qr", qr))

        for (name, result) in [("paid", CheckoutResult.paid(PaymentConfirmation(gatewayTradeID: "WT1", amount: Fixture.hkd(1230)))),
                               ("declined", .declined(Decline(.insufficientFunds, gatewayMessage: "NOTENOUGH"))),
                               ("expired", .expired(closed: true)), ("cancelled", .cancelled(.cashier)),
                               ("cancelled: not created", .cancelled(.creationFailed(.notFound)))]
                + ModelFrameTests.unknowns.map({ ("unknown: \($0.0)", CheckoutResult.unknown($0.1)) }) {
            var state = waiting
            _ = state.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000HHHHHH", status: result.orderStatus),
                                                              result: result, ledgerProblems: [])))
            states.append((name, state))
        }
        for (name, error) in ModelFrameTests.failures {
            var failed = waiting
            _ = failed.handle(.checkoutFailed(error))
            states.append(("failed: \(name)", failed))
        }
        var requeried = waiting
        _ = requeried.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000HHHHHH", status: .unknown),
                                                              result: .unknown(.cannotCancel(nil)), ledgerProblems: [])))
        for (name, answer, discrepancy) in ModelFrameTests.requeries {
            var state = requeried
            _ = Fixture.press(.character("r"), &state)
            _ = state.handle(.requeried(StatusReport(order: Fixture.order("S251122120000HHHHHH", status: .declined),
                                                     gatewayAnswer: answer, discrepancy: discrepancy, result: nil)))
            states.append(("requeried: \(name)", state))
        }
        var requeryFailed = requeried
        _ = Fixture.press(.character("r"), &requeryFailed)
        _ = requeryFailed.handle(.requeryFailed(.inProgressElsewhere(try! OrderID("S251122120000HHHHHH"))))
        states.append(("requery failed", requeryFailed))

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
        let picked = ModelOwnerFlowTests.paidLine.order
        for (name, outcome) in ModelFrameTests.refundOutcomes {
            var done = refundConfirm
            _ = Fixture.press(.character("y"), &done)
            let sent = Refund(id: RefundID(order: picked.id, sequence: 2), orderID: picked.id, amount: Fixture.hkd(7000), reason: "wrong size",
                              status: outcome == .refunded ? .refunded : .failed, createdAt: Fixture.noon)
            _ = done.handle(.refundFinished(RefundReport(refund: sent, outcome: outcome, retriedEarlierRefund: false, remaining: Fixture.hkd(0))))
            states.append(("refund: \(name)", done))
        }
        var refundFailed = refundConfirm
        _ = Fixture.press(.character("y"), &refundFailed)
        _ = refundFailed.handle(.refundFailed(.notApplicable(.fullyRefunded(picked.id))))
        states.append(("refund failed", refundFailed))
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

    /// Each answer that leaves a payment open, as the waiting screen words it.
    static let doubts: [(String, Doubt)] = [
        ("user paying", .userPaying), ("not paid", .notPaid), ("not found", .notFound), ("says paid", .saysPaid), ("not sent", .notSent),
        ("underpaid", .underpaid(received: Fixture.hkd(1000), amount: Fixture.hkd(1230))), ("declined", .declined(gatewayMessage: "NOTENOUGH")),
        ("refused", .refused(GatewayProblem(code: "40004", message: "NOTENOUGH"))), ("no clear answer", .noClearAnswer("NOTENOUGH")),
    ]

    /// Every reason a checkout ends unknown.
    static let unknowns: [(String, UnknownReason)] = [
        ("not cancelled", .notSettled(.cancel, why: "NOTENOUGH")), ("not closed", .notSettled(.close, why: "NOTENOUGH")),
        ("cancel refused", .settleRefused(.cancel, GatewayProblem(code: "40004", message: "NOTENOUGH"))),
        ("close refused", .settleRefused(.close, GatewayProblem(code: "40004", message: "NOTENOUGH"))),
        ("paid, no notification", .paidUnconfirmed(.close, seconds: 20)), ("paid, then not", .paidThenDoubted(.cancel, .notPaid)),
        ("amount", .amountMismatch(reported: Fixture.hkd(1300), ordered: Fixture.hkd(1230))),
        ("underpaid", .underpaidMismatch(received: Fixture.hkd(1000), reported: Fixture.hkd(1300), ordered: Fixture.hkd(1230))),
        ("not created", .notCreatedNorClosable(.notFound)), ("cannot cancel", .cannotCancel(.userPaying)), ("unanswered", .cannotCancel(nil)),
    ]

    /// Errors a checkout can fail with before an outcome.
    static let failures: [(String, TillError)] = [
        ("disk full", .notRecorded(.storage(path: "/var/lib/shroff/ledger.sqlite", code: 13, message: "disk"))),
        ("server down", .notRecorded(.serverUnreachable(server: "db", reason: "ECONNREFUSED"))),
        ("busy", .inProgressElsewhere(try! OrderID("S251122120000HHHHHH"))),
        ("settled", .notApplicable(.alreadySettled(try! OrderID("S251122120000HHHHHH"), .paid))),
    ]

    /// What a re-query of an unknown order can bring back.
    static let requeries: [(String, GatewayAnswer, Discrepancy?)] = [
        ("paid elsewhere", .verdict(.paid(PaymentConfirmation(gatewayTradeID: "WT1", amount: Fixture.hkd(1230)))),
         .paidAtGateway(recorded: .declined, amount: Fixture.hkd(1230), trade: "WT1")),
        ("other amount", .verdict(.paid(PaymentConfirmation(gatewayTradeID: "WT1", amount: Fixture.hkd(1300)))),
         .otherAmount(reported: Fixture.hkd(1300), recorded: Fixture.hkd(1230))),
        ("no longer paid", .verdict(.notFound), .noLongerPaid(.notFound)),
        ("cannot be asked", .cannotBeAsked(gateway: "wantu"), nil),
    ]

    /// How a refund sent from the till can end.
    static let refundOutcomes: [(String, RefundReport.Outcome)] = [
        ("declined", .failed(.declined("NOTENOUGH"))), ("rejected", .failed(.rejected(GatewayProblem(code: "40004", message: "NOTENOUGH")))),
        ("refused earlier", .failed(.recorded(nil))), ("unknown", .unknown(.notSent)), ("user paying", .unknown(.userPaying)),
    ]

    /// A day with sales in both wallets, a refund and an order still open, at one of two tills.
    static let report: DayReport = {
        var report = DayReport(
            kind: .x, day: "2025-11-22",
            wallets: [DayReport.WalletTotals(wallet: .wechat, count: 3, paid: Fixture.hkd(3690), refunded: Fixture.hkd(500)),
                      DayReport.WalletTotals(wallet: .alipay, count: 1, paid: Fixture.hkd(1230), refunded: Fixture.hkd(0))],
            paid: Fixture.hkd(4920), refunded: Fixture.hkd(500), net: Fixture.hkd(4420),
            countsByStatus: [.paid: 4, .declined: 1, .unknown: 1, .pending: 0, .cancelled: 0, .expired: 0])
        report.tills = .till("pos1")
        report.tillNames = ["pos1"]
        return report
    }()

    @Test func theXReportSaysWhichTillItCovers() throws {
        let x = try #require(Self.everyScreen(training: false).first { $0.0 == "x report" }?.1)
        let text = x.render(size: .minimum).text
        #expect(text.contains(" · till pos1"), "\(text)")
    }

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
