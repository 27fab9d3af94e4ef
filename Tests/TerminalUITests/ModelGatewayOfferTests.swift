import CheckoutCore
import Foundation
import Owner
import Testing
@testable import TerminalUI

/// The till offers only what its gateway supports, and says so before anything is sent.
@Suite struct ModelGatewayOfferTests {
    /// A gateway that takes WeChat Pay QR orders only, and no refunds (as the aggregator does).
    static func qrOnlyState() -> TillState {
        var state = Fixture.state()
        state.store.gateway = TillState.GatewayOffer(name: "aggregator", scanWallets: [], qrWallets: [.wechat], refunds: false,
                                                     refundAdvice: "refund this order in the aggregator's merchant back office")
        return state
    }

    @Test func aWalletTheGatewayDoesNotTakeIsRefusedByNameAndNothingIsSent() {
        var state = Self.qrOnlyState()
        Fixture.type("12.30", into: &state)
        #expect(Fixture.press(.character("a"), &state) == [])
        #expect(state.screen == .sale)
        #expect(state.message?.text.contains("aggregator gateway does not take Alipay QR payments") == true, "\(String(describing: state.message))")
        #expect(state.message?.text.contains("press w instead") == true)
        // The wallet it does take still works.
        #expect(Fixture.press(.character("w"), &state) == [.payByQR(Fixture.hkd(1230), .wechat, subject: "")])
    }

    @Test func aScannedCodeForAGatewayWithoutScanningChargesNothing() {
        var state = Self.qrOnlyState()
        Fixture.type("12.30", into: &state)
        let commands = state.handle(.input(.scan(Fixture.wechatCode)))
        #expect(commands == [])
        #expect(state.message?.text.contains("does not take scanned WeChat Pay codes: nothing was charged") == true, "\(String(describing: state.message))")
    }

    @Test func theFooterListsOnlyTheQRKeysOffered() {
        var state = Self.qrOnlyState()
        let footer = state.render(size: .minimum).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(footer.contains("w QR"), "\(footer)")
        #expect(!footer.contains("w/a"), "\(footer)")
        state.store.gateway = .everything
        #expect(state.render(size: .minimum).text.contains("w/a QR"))
    }

    @Test func refundIsNotOfferedWhenTheGatewayTakesNone() {
        var state = Self.qrOnlyState()
        _ = Fixture.press(.character("m"), &state)
        #expect(state.render(size: .minimum).text.contains("Refund: not offered by aggregator"))
        #expect(Fixture.press(.character("f"), &state) == [])
        #expect(state.screen == .menu)
        #expect(state.message?.text.contains("refund this order in the aggregator's merchant back office") == true, "\(String(describing: state.message))")
    }

    @Test func anOrderPaidAfterCloseIsMarkedInTheHistoryAndTheReport() {
        var state = Fixture.state()
        var flagged = Fixture.order("S251122120001FLAG01", status: .cancelled)
        flagged.attention = "paid after close: the gateway reports HKD 12.30 paid"
        _ = Fixture.press(.character("m"), &state)
        _ = Fixture.press(.character("h"), &state)
        _ = state.handle(.history([OrderLine(order: flagged, refunded: Fixture.hkd(0))]))
        #expect(state.render(size: .minimum).text.contains("CANCELLED!"))

        let report = DayReport.make(.x, day: StoreDay.containing(Fixture.noon, in: Fixture.utc), currency: .hkd, orders: [flagged], refunds: [])
        #expect(report.attention == [flagged.id])
    }
}
