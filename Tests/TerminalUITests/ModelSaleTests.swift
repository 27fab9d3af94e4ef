import CheckoutCore
import Foundation
import Testing
import Words
@testable import Till
@testable import TerminalUI

// Fixtures shared by the Model*Tests files.
enum Fixture {
    static let wechatCode = "134567890123456789"
    static let alipayCode = "28123456789012345678"
    static let utc = TimeZone(identifier: "UTC")!
    static let noon = Date(timeIntervalSince1970: 1_763_812_800)  // 2025-11-22 12:00:00 UTC

    static func state(training: Bool = false, unicode: Bool = true, words: Words = .english, colour: Bool = true) -> TillState {
        let store = TillState.Store(name: "Lucky Tea", currency: .hkd, timeZone: utc, training: training,
                                    settings: [(label: "Ledger", value: "/var/lib/shroff/ledger.sqlite")])
        var state = TillState(store: store, words: words, unicode: unicode, colour: colour, wall: noon)
        _ = state.handle(.tick(now: .seconds(100), wall: noon))
        return state
    }

    static func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }

    static func order(_ id: String, status: OrderStatus, amount: Int64 = 1230, wallet: Wallet = .wechat,
                      trade: String? = "WT20251122000123") -> Order {
        Order(id: try! OrderID(id), provider: "wantu", method: .scan, wallet: wallet, amount: hkd(amount), subject: "",
              status: status, maskedCode: "1345**********6789", gatewayTradeID: status == .paid ? trade : nil,
              createdAt: noon)
    }

    /// Types each character as a person would.
    @discardableResult
    static func type(_ text: String, into state: inout TillState) -> [TillCommand] {
        text.flatMap { state.handle(.input(.key(.character($0)))) }
    }

    static func press(_ key: Key, _ state: inout TillState) -> [TillCommand] {
        state.handle(.input(.key(key)))
    }

    /// A state waiting on a scanned WeChat payment of HKD 12.30.
    static func waiting(training: Bool = false) -> TillState {
        var state = Fixture.state(training: training)
        type("12.30", into: &state)
        _ = state.handle(.input(.scan(wechatCode)))
        return state
    }

    static func screen(_ state: TillState, _ size: TerminalSize = .minimum) -> String {
        state.render(size: size).text
    }
}

@Suite("Model: the sale screen")
struct ModelSaleTests {
    @Test func typingAnAmountThenScanningSendsExactlyOnePayment() throws {
        var state = Fixture.state()
        let typed = Fixture.type("12.30", into: &state)
        #expect(typed.isEmpty)

        let commands = state.handle(.input(.scan(Fixture.wechatCode)))

        #expect(commands.count == 1)
        guard case .payByCode(let amount, let code, let subject)? = commands.first else {
            Issue.record("expected payByCode, got \(commands)")
            return
        }
        #expect(amount == Fixture.hkd(1230))
        #expect(code.wallet == .wechat)
        #expect(subject == "")
        let screen = Fixture.screen(state)
        #expect(screen.contains("HKD 12.30"))
        #expect(screen.contains("1345**********6789"))
        #expect(!screen.contains(Fixture.wechatCode))
    }

    @Test func aThirdDecimalIsRefusedWithAMessage() {
        var state = Fixture.state()
        Fixture.type("12.305", into: &state)
        #expect(state.sale.amountText == "12.30")
        #expect(Fixture.screen(state).contains("HKD has 2 decimals"))
        // The next key clears the notice; a second point is refused too.
        Fixture.type(".", into: &state)
        #expect(Fixture.screen(state).contains("already has a decimal point"))
    }

    @Test func backspaceAndClearEditTheAmount() {
        var state = Fixture.state()
        Fixture.type("45.6", into: &state)
        _ = Fixture.press(.backspace, &state)
        #expect(state.sale.amountText == "45.")
        _ = Fixture.press(.character("c"), &state)
        #expect(state.sale.amountText == "")
        Fixture.type("7", into: &state)
        _ = Fixture.press(.delete, &state)
        #expect(state.sale.amountText == "")
    }

    @Test func aScanWithNoAmountAsksForTheAmountAndSendsNothing() {
        var state = Fixture.state()
        let commands = state.handle(.input(.scan(Fixture.wechatCode)))
        #expect(commands.isEmpty)
        #expect(state.screen == .sale)
        #expect(Fixture.screen(state).contains("Key in the amount first"))
    }

    @Test func aTruncatedScanGivesItsMessageAndSendsNothing() {
        var state = Fixture.state()
        Fixture.type("8", into: &state)
        let commands = state.handle(.input(.scan(String(Fixture.wechatCode.dropLast()))))
        #expect(commands.isEmpty)
        #expect(state.checkout == nil)
        let screen = Fixture.screen(state)
        #expect(screen.contains("17 digits"))
        #expect(screen.contains("scan again"))
    }

    @Test func theSubjectIsTypedAfterSAndSentWithThePayment() {
        var state = Fixture.state()
        Fixture.type("5s", into: &state)
        Fixture.type("Milk tea", into: &state)
        _ = Fixture.press(.enter, &state)
        let commands = state.handle(.input(.scan(Fixture.alipayCode)))
        guard case .payByCode(_, let code, let subject)? = commands.first else {
            Issue.record("expected payByCode, got \(commands)")
            return
        }
        #expect(subject == "Milk tea")
        #expect(code.wallet == .alipay)
    }

    @Test func theCNYEquivalentShowsWhenARateIsKnown() {
        var state = Fixture.state()
        _ = state.handle(.rate(ExchangeRate(currency: .hkd, decimal: "0.92")))
        Fixture.type("100", into: &state)
        let screen = Fixture.screen(state)
        #expect(screen.contains("HKD 100.00"))
        #expect(screen.contains("CNY 92.00"))
        #expect(screen.contains("Scan the customer's code, or press w (WeChat QR) / a (Alipay QR)"))
    }

    @Test func theSameCodeScannedTwiceWithinSecondsIsIgnoredButLaterIsTaken() {
        var state = Fixture.waiting()
        // The checkout is declined: the amount stays keyed.
        _ = state.handle(.checkoutFinished(CheckoutReport(order: Fixture.order("S251122120000AAAAAA", status: .declined),
                                                          result: .declined(Decline(.codeExpired, gatewayMessage: "expired")),
                                                          ledgerProblems: [])))
        _ = state.handle(.tick(now: .seconds(102), wall: Fixture.noon))
        #expect(state.handle(.input(.scan(Fixture.wechatCode))).isEmpty)
        // Not silent once the payment has ended: the cashier is told the code is used up.
        #expect(Fixture.screen(state).contains("works once"))
        _ = state.handle(.tick(now: .seconds(110), wall: Fixture.noon))
        let again = state.handle(.input(.scan(Fixture.wechatCode)))
        #expect(again.count == 1)
        if case .payByCode(let amount, _, _)? = again.first { #expect(amount == Fixture.hkd(1230)) } else {
            Issue.record("expected payByCode, got \(again)")
        }
    }

    @Test func pressingWStartsAWeChatQROrder() {
        var state = Fixture.state()
        #expect(Fixture.press(.character("w"), &state).isEmpty)  // no amount yet
        Fixture.type("9.9", into: &state)
        let commands = Fixture.press(.character("w"), &state)
        #expect(commands == [.payByQR(Fixture.hkd(990), .wechat, subject: "")])
    }
}

@Suite("Model: digits drawn at once, taken back by a scan")
struct ModelDigitEchoTests {
    @Test func aScanTakesBackItsDigitsAndPaysTheAmountKeyedBefore() throws {
        // Given 12.3 keyed, then the first digits of a scan drawn as typed (the amount field
        // refuses the ones that would not make an amount, with a message)
        var state = Fixture.state()
        Fixture.type("12.3", into: &state)
        #expect(state.echoesDigits)
        for digit in Fixture.wechatCode { _ = state.handle(.input(.key(.character(digit)))) }
        // When the detector says those 18 digits were a scan
        let commands = state.handle(.input(.scan(Fixture.wechatCode, takingBack: 18)))
        // Then the amount is 12.30 again, no warning is left, and exactly one payment goes out
        #expect(state.sale.amountText == "12.3")
        guard case .payByCode(let amount, let code, _)? = commands.first, commands.count == 1 else {
            Issue.record("expected one payByCode, got \(commands)")
            return
        }
        #expect(amount == Fixture.hkd(1230))
        #expect(code.wallet == .wechat)
    }

    @Test func digitsTypedBeforeTheScanStay() {
        var state = Fixture.state()
        Fixture.type("4", into: &state)
        for digit in Fixture.wechatCode { _ = state.handle(.input(.key(.character(digit)))) }
        _ = state.handle(.input(.scan(Fixture.wechatCode, takingBack: 18)))
        #expect(state.sale.amountText == "4")
    }

    @Test func whileAPaymentRunsDigitsAreNotDrawnAtOnce() {
        let state = Fixture.waiting()
        #expect(!state.echoesDigits)
    }
}
