import CheckoutCore
import Foundation
import Owner
import QRCode
import Testing
@testable import Till
@testable import TerminalUI

/// A refund the gateway is still processing, on the owner's refund screen.
@Suite struct ModelProcessingRefundTests {
    static let url = "http://127.0.0.1:8765/sandbox/pay/re_4f0a9c21000000000000002b"

    /// The refund flow after `y`, answered with `outcome`.
    static func finished(_ outcome: RefundReport.Outcome) -> (TillState, [TillCommand]) {
        var state = ModelOwnerFlowTests.refundPicking()
        _ = Fixture.press(.enter, &state)
        _ = Fixture.press(.enter, &state)
        Fixture.type("Returned", into: &state)
        _ = Fixture.press(.enter, &state)
        _ = Fixture.press(.character("y"), &state)
        let id = ModelOwnerFlowTests.paidLine.order.id
        let refund = Refund(id: RefundID(order: id, sequence: 2), orderID: id, amount: Fixture.hkd(7000), reason: "Returned",
                            status: .unknown, gatewayRefundID: "re_4f0a9c21000000000000002b", createdAt: Fixture.noon)
        let commands = state.handle(.refundFinished(RefundReport(refund: refund, outcome: outcome, retriedEarlierRefund: false,
                                                                 remaining: Fixture.hkd(0))))
        return (state, commands)
    }

    @Test func anAlipayRefundAwaitingTheOwnerShowsItsConfirmationPageAsAQRCode() throws {
        let (state, commands) = Self.finished(.processing(gatewayRefundID: "re_4f0a9c21000000000000002b", confirmationURL: Self.url))
        #expect(commands.isEmpty)  // no refund receipt: nothing is refunded yet
        let screen = Fixture.screen(state)
        #expect(screen.contains("REFUND PROCESSING"))
        #expect(screen.contains("The owner must confirm it"))
        let rows = try QRMatrix.encode(Self.url, level: .medium).halfBlockRows(margin: 2)
        for row in rows { #expect(screen.contains(row)) }
    }

    @Test func aProcessingRefundWithoutAConfirmationPageSaysTheGatewayWillTell() {
        let (state, commands) = Self.finished(.processing(gatewayRefundID: "re_1", confirmationURL: nil))
        #expect(commands.isEmpty)
        let screen = Fixture.screen(state)
        #expect(screen.contains("REFUND PROCESSING at the gateway (re_1)"))
        #expect(screen.contains("The gateway will tell"))
    }
}
