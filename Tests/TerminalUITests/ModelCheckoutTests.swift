import CheckoutCore
import Foundation
import Owner
import QRCode
import Testing
@testable import Till
@testable import TerminalUI

@Suite("Model: waiting, QR and result screens")
struct ModelCheckoutTests {
    @Test func aSecondScanWhileWaitingDoesNothing() {
        var state = Fixture.waiting()
        _ = state.handle(.tick(now: .seconds(101), wall: Fixture.noon))
        #expect(state.handle(.input(.scan(Fixture.wechatCode))).isEmpty)
        #expect(state.handle(.input(.scan(Fixture.alipayCode))).isEmpty)
        #expect(state.screen == .checkout)
    }

    @Test func escAsksForConfirmationThenYesCancels() {
        var state = Fixture.waiting()
        #expect(Fixture.press(.escape, &state).isEmpty)
        #expect(Fixture.screen(state).contains("Cancel this payment? y/n"))
        #expect(Fixture.press(.character("n"), &state).isEmpty)
        #expect(!Fixture.screen(state).contains("Cancel this payment? y/n"))

        _ = Fixture.press(.escape, &state)
        #expect(Fixture.press(.character("y"), &state) == [.cancelCheckout])
        // A second Esc does not send a second cancel.
        _ = Fixture.press(.escape, &state)
        #expect(Fixture.press(.character("y"), &state).isEmpty)
    }

    @Test func quitIsRefusedWhilePayingAndAllowedAfter() {
        var state = Fixture.waiting()
        #expect(Fixture.press(.function(10), &state).isEmpty)
        #expect(Fixture.screen(state).contains("A payment is in progress"))
        let order = Fixture.order("S251122120000BBBBBB", status: .paid)
        _ = state.handle(.checkoutFinished(CheckoutReport(order: order,
            result: .paid(PaymentConfirmation(gatewayTradeID: "WT1", amount: Fixture.hkd(1230))), ledgerProblems: [])))
        #expect(Fixture.press(.function(10), &state) == [.quit])
    }

    @Test func theCountdownMovesWithTheTicksBetweenProgressReports() {
        var state = Fixture.waiting()  // started at 100 s
        _ = state.handle(.checkout(.recorded(try! OrderID("S251122120000CCCCCC"))))
        _ = state.handle(.tick(now: .seconds(103), wall: Fixture.noon))
        _ = state.handle(.checkout(.waiting(reason: .doubt(.userPaying), elapsed: .seconds(3),
                                            deadline: .seconds(45), queries: 1)))
        var screen = Fixture.screen(state)
        #expect(screen.contains("Time left   0:42"))
        #expect(screen.contains("Queries     1"))
        #expect(screen.contains("confirming the payment on the phone"))
        // A query is on the wire: no progress comes, but the ticks keep the clock honest.
        _ = state.handle(.tick(now: .seconds(113), wall: Fixture.noon))
        screen = Fixture.screen(state)
        #expect(screen.contains("Elapsed     0:13"))
        #expect(screen.contains("Time left   0:32"))
    }

    /// In colour the glyphs are the light modules (white on black, `QRInk.light`); without
    /// colour the dark ones, in the terminal's own foreground.
    @Test(arguments: [true, false])
    func theQRScreenAt80x24ShowsTheCodeAndTheAmount(colour: Bool) throws {
        var state = Fixture.state()
        state.colour = colour
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("a"), &state)
        let payload = "https://qr.alipay.com/bax08861ksrbzlbmwqzb00a5Tq3Ncr1xRkz9bG4Q"
        _ = state.handle(.checkout(.showQR(payload)))
        _ = state.handle(.checkout(.waiting(reason: .doubt(.notPaid), elapsed: .seconds(1),
                                            deadline: .seconds(120), queries: 0)))
        let frame = state.render(size: .minimum)
        let rows = try QRMatrix.encode(payload, level: .medium).halfBlockRows(margin: 2, ink: colour ? .light : .dark)
        #expect(rows.count <= 20)
        let lines = frame.lines
        for row in rows {
            #expect(lines.contains { $0.contains(row) }, "a QR row is missing")
        }
        #expect(frame.text.contains("HKD 12.30"))
        #expect(frame.text.contains("Alipay"))
        #expect(frame.text.contains("Time left 1:59"))
        // Every row of the code, margin included, is one span in the QR style.
        let qrSpans = frame.rows.flatMap { $0 }.filter { $0.style == .qr }
        #expect(qrSpans.count == rows.count)
    }

    @Test func besideTheQRCodeAt80x24TheCashierReadsWhatTheTillWaitsFor() {
        // The aggregator's words when check_order says paid over plain http, as the checkout passes them on.
        var state = Fixture.state()
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("w"), &state)
        _ = state.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j")))
        _ = state.handle(.checkout(.waiting(
            reason: .doubt(.noClearAnswer("check_order says paid, waiting for its signed callback: the answer came unsigned over plain http, where anyone on the way could have written it")),
            elapsed: .seconds(10), deadline: .seconds(180), queries: 2)))
        let screen = Fixture.screen(state)
        #expect(screen.contains("check_order says paid,"), "\(screen)")
        #expect(screen.contains("waiting for its signed callback"), "\(screen)")
    }

    @Test func besideTheQRCodeAt80x24TheCashierReadsThatTheAggregatorReportsFailedSoFar() {
        // The aggregator's words for pay_status 0, which ends nothing, as the checkout passes them on.
        var state = Fixture.state()
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("w"), &state)
        _ = state.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j")))
        _ = state.handle(.checkout(.waiting(
            reason: .doubt(.noClearAnswer("the aggregator reports the payment as failed so far (pay_status 0), but the customer may still pay until the QR code times out")),
            elapsed: .seconds(10), deadline: .seconds(180), queries: 2)))
        let screen = Fixture.screen(state)
        // All of it, on the four lines beside the code.
        #expect(screen.contains("payment as failed so far (pay_status 0),"), "\(screen)")
        #expect(screen.contains("but the customer may still pay until the QR"), "\(screen)")
        #expect(screen.contains("code times out"), "\(screen)")
    }

    @Test func aQRTooLargeForTheTerminalWithoutAPayLinkNamesPublicURL() {
        var state = Fixture.state()
        Fixture.type("1", into: &state)
        _ = Fixture.press(.character("w"), &state)
        _ = state.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=" + String(repeating: "x", count: 200))))
        let screen = Fixture.screen(state)
        #expect(screen.contains("This QR code is too large for this terminal"), "\(screen)")
        #expect(screen.contains("[notify] public_url"), "\(screen)")
        #expect(screen.contains("HKD 1.00"))
        #expect(!screen.contains("▀"))
    }

    /// An Alipay PC checkout URL of a real one's length: 81×41 modules' worth, too large at 80×24.
    static let longCredential = "https://mapi.alipay.com/gateway.do?" + (0..<14).map { "p\($0)=" + String(repeating: "v", count: 28) }.joined(separator: "&")
    static let link = "https://till.shop.example/pay/q7Vn0xZkR2mB9sLcW4tYhA"

    @Test func aCredentialTooLargeAt80x24IsDrawnAsItsShortPayLink() throws {
        var state = Fixture.state()
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("a"), &state)
        #expect(Self.longCredential.count >= 480)
        _ = state.handle(.checkout(.payLink(Self.link)))
        _ = state.handle(.checkout(.showQR(Self.longCredential)))
        let frame = state.render(size: .minimum)
        let linkRows = try QRMatrix.encode(Self.link, level: .medium).halfBlockRows(margin: 2, ink: .light)
        for row in linkRows {
            #expect(frame.lines.contains { $0.contains(row) }, "a row of the link's code is missing")
        }
        #expect(frame.text.contains("Scan to pay") && frame.text.contains("HKD 12.30"))
        // A terminal large enough for the credential draws the credential itself.
        let large = state.render(size: TerminalSize(columns: 140, rows: 50))
        let credentialRows = try QRMatrix.encode(Self.longCredential, level: .medium).halfBlockRows(margin: 2, ink: .light)
        #expect(credentialRows.allSatisfy { row in large.lines.contains { $0.contains(row) } })
    }

    @Test func aFormCredentialIsDrawnOnlyAsItsPayLinkAndNeverPrinted() throws {
        let form = #"<form method="post" action="http://paymax.lakala.com/mrpos/cashier"><input type="hidden" name="orderId" value="ch_1"></form>"#
        var state = Fixture.state()
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("a"), &state)
        _ = state.handle(.checkout(.showQR(form)))
        var screen = Fixture.screen(state)
        #expect(screen.contains("[notify] public_url") && !screen.contains("<form") && !screen.contains("▀"), "\(screen)")

        var linked = Fixture.state()
        Fixture.type("12.30", into: &linked)
        _ = Fixture.press(.character("a"), &linked)
        _ = linked.handle(.checkout(.payLink(Self.link)))
        _ = linked.handle(.checkout(.showQR(form)))
        let frame = linked.render(size: .minimum)
        let rows = try QRMatrix.encode(Self.link, level: .medium).halfBlockRows(margin: 2, ink: .light)
        #expect(rows.allSatisfy { row in frame.lines.contains { $0.contains(row) } })
        screen = frame.text
        #expect(!screen.contains("<form"))
    }

    @Test func withoutUTF8TheQRScreenExplainsAndShowsThePayload() {
        var state = Fixture.state(unicode: false)
        Fixture.type("3", into: &state)
        _ = Fixture.press(.character("w"), &state)
        _ = state.handle(.checkout(.showQR("weixin://wxpay/bizpayurl?pr=abc123")))
        let frame = state.render(size: .minimum)
        #expect(frame.text.contains("LANG=C.UTF-8"))
        #expect(frame.text.contains("weixin://wxpay/bizpayurl?pr=abc123"))
        #expect(frame.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func paidShowsTheTradeNumberAndPrintsAReceipt() {
        var state = Fixture.waiting()
        let order = Fixture.order("S251122120000DDDDDD", status: .paid, trade: "WT20251122000999")
        let commands = state.handle(.checkoutFinished(CheckoutReport(order: order,
            result: .paid(PaymentConfirmation(gatewayTradeID: "WT20251122000999", amount: Fixture.hkd(1230))), ledgerProblems: [])))
        #expect(commands.count == 1)
        if case .printReceipt(let receipt)? = commands.first {
            #expect(receipt.lines.contains { $0.contains("S251122120000DDDDDD") })
        } else { Issue.record("expected printReceipt, got \(commands)") }
        _ = state.handle(.receiptPrinted(nil))
        let screen = Fixture.screen(state)
        #expect(screen.contains("PAID"))
        #expect(screen.contains("WT20251122000999"))
        #expect(screen.contains("Receipt printed/saved"))
        _ = Fixture.press(.enter, &state)
        #expect(state.screen == .sale)
        #expect(state.sale.amountText == "")
    }

    @Test func declinedGivesTheReasonInPlainWordsAndSuggestsAFreshScan() {
        var state = Fixture.waiting()
        _ = state.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000EEEEEE", status: .declined),
            result: .declined(Decline(.codeExpired, gatewayMessage: "AUTH_CODE_EXPIRE")), ledgerProblems: [])))
        let screen = Fixture.screen(state).replacingOccurrences(of: "│", with: "")
        #expect(screen.contains("DECLINED"))
        #expect(screen.contains("The payment code has expired."))
        #expect(screen.contains("A fresh scan may work"))
    }

    @Test func unknownExplainsWhatToDoAndRRequeries() {
        var state = Fixture.waiting()
        let order = Fixture.order("S251122120000FFFFFF", status: .unknown)
        _ = state.handle(.checkoutFinished(CheckoutReport(order: order, result: .unknown(.cannotCancel(nil)), ledgerProblems: [])))
        let screen = Fixture.screen(state)
        #expect(screen.contains("OUTCOME UNKNOWN"))
        #expect(screen.contains("r ask the gateway again"))
        #expect(Fixture.press(.character("r"), &state) == [.requery(order.id)])
        // One question at a time.
        #expect(Fixture.press(.character("r"), &state).isEmpty)
        var paid = order
        paid.status = .paid
        paid.gatewayTradeID = "WT5"
        let commands = state.handle(.requeried(StatusReport(order: paid, gatewayAnswer: .verdict(.paid(PaymentConfirmation(gatewayTradeID: "WT5", amount: paid.amount))),
                                                           discrepancy: nil, result: nil)))
        #expect(commands.count == 1)  // the receipt, now that it is paid
        #expect(Fixture.screen(state).contains("Now PAID"))
        #expect(state.unresolved.isEmpty)
    }

    @Test func anUnknownOrderStaysFlaggedOnTheSaleScreenUntilSettled() {
        var state = Fixture.waiting()
        let order = Fixture.order("S251122120000GGGGGG", status: .unknown)
        _ = state.handle(.checkoutFinished(CheckoutReport(order: order, result: .unknown(.cannotCancel(nil)), ledgerProblems: [])))
        _ = Fixture.press(.enter, &state)
        #expect(Fixture.screen(state).contains("OUTCOME UNKNOWN still to check: S251122120000GGGGGG"))
    }
}
