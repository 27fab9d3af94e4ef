import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// The runner numbers each order for the gateway it is made with: 19 characters as ever,
/// unless the gateway asks for another length (the aggregator's 20).
@Suite struct CheckoutRunnerOrderNumberTests {
    /// A gateway that asks for `orderNumberLength` characters and is unreachable, so a sale
    /// ends at once, declined, with its order in the ledger.
    struct Numbered: PaymentGateway {
        let name = "numbered"
        let capabilities: GatewayCapabilities = [.qrPay]
        let orderNumberLength: Int
        func createQR(_ request: QRPayRequest) async -> QRCreation {
            .failed(.declined(Decline(.gatewayUnreachable, gatewayMessage: "no network in this test")))
        }
    }

    @Test func aGatewayThatAsksForTwentyCharactersGetsThemAndTheOthersKeepNineteen() async throws {
        let till = try TillFixture()
        let long = CheckoutRunner(gateway: Numbered(orderNumberLength: 20), ledger: till.ledger, policy: CheckoutPolicy(),
                                  timeZone: TillFixture.timeZone, clock: till.clock.checkoutClock, wallClock: { till.now })
        let report = try await long.payByQR(hkd(12_00), wallet: .wechat, subject: "Tea")
        #expect(report.order.id.rawValue.count == 20)
        #expect(try till.ledger.order(report.order.id)?.provider == "numbered")

        let standard = try await till.runner.payByQR(hkd(12_00), wallet: .wechat, subject: "Tea")
        #expect(standard.order.id.rawValue.count == 19)
        // Made in the same second: the same time stamp, only the random part grows.
        #expect(report.order.id.rawValue.prefix(13) == standard.order.id.rawValue.prefix(13))
    }
}
