import Config
import Testing

/// `[providers.paymax] livemode`: the account's mode, so a charge of the other mode never settles an order.
extension ConfigPaymaxTests {
    @Test func anAccountIsLiveUnlessTheConfigurationSaysTestMode() throws {
        #expect(try #require(try load(Self.config()).paymax).livemode == true)
        let test = try #require(try load(Self.config(extra: "livemode = false")).paymax)
        #expect(test.livemode == false)
        #expect(test.summary.contains { $0.0 == "Mode" && $0.1.contains("livemode = false") })
    }

    @Test func aLivemodeThatIsNotTrueOrFalseIsRefusedWithTheKey() throws {
        let error = try #require(refusal(Self.config(extra: "livemode = \"no\"")))
        #expect(error.key == "providers.paymax.livemode" && error.description.contains("true or false"), "\(error)")
    }
}
