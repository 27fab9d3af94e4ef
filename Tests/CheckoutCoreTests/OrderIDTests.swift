import CheckoutCore
import Testing

@Suite("Order numbers: a till's own have one fixed form")
struct OrderIDTests {
    @Test func everyGeneratedNumberIsATillNumber() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = OrderID.generate(localTimestamp: "261122101010", using: &generator)
            #expect(id.isTillNumber, "\(id)")
        }
    }

    @Test(arguments: ["S261122101010ABCDE", "S261122101010ABCDEF2", "X261122101010ABCDEF", "S26112210101XABCDEF",
                      "S261122101010ABCDE1", "S261122101010abcdef", "ORDER0000001", "s261122101010ABCDEF"])
    func anyOtherFormIsNot(_ text: String) throws {
        #expect(!(try OrderID(text)).isTillNumber)
    }
}
