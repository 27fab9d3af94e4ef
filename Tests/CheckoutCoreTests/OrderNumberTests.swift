import CheckoutCore
import Testing

/// The till's order numbers: 19 characters for every gateway, unless its document asks for
/// another length (the aggregator's exactly 20).
@Suite struct OrderNumberTests {
    @Test func aNewNumberIsSTheStoreTimeAndSixRandomCharacters() {
        var generator = SystemRandomNumberGenerator()
        let id = OrderID.generate(localTimestamp: "261201173000", using: &generator)
        #expect(id.rawValue.count == 19)
        #expect(id.rawValue.hasPrefix("S261201173000"))
    }

    @Test func aGatewayThatAsksForTwentyGetsOneMoreRandomCharacter() throws {
        var generator = SystemRandomNumberGenerator()
        let id = OrderID.generate(localTimestamp: "261201173000", length: 20, using: &generator)
        #expect(id.rawValue.count == 20)
        #expect(id.rawValue.hasPrefix("S261201173000"))
        #expect(id.rawValue.dropFirst(13).allSatisfy { "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains($0) })
        // The number reads back as an order number, as a gateway's callback names it.
        #expect(try OrderID(id.rawValue) == id)
    }

    @Test func aGatewayKeepsTheStandardLengthUnlessItSaysOtherwise() {
        struct Plain: PaymentGateway {
            let name = "plain"
            let capabilities: GatewayCapabilities = [.qrPay]
        }
        #expect(Plain().orderNumberLength == OrderID.standardLength)
        #expect(OrderID.standardLength == 19)
    }
}
