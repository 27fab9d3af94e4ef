@testable import AggregatorGateway
import CheckoutCore
import Testing

/// Amounts in answers: fen as an integer or with the seed's ".00"; nothing that changes their meaning.
@Suite struct AggregatorAmountTests {
    @Test func amountsWrittenAsJSONNumbersKeepTheirTextAndAKeyTwiceIsNoAnswer() {
        // 0.29 through a Double would print back as 0.29 but sum to 28.999… fen; the text never changes.
        let answer = AggregatorAnswer(body: Array(#"{"status":1,"data":{"amount":60000.00,"actual_amount":0.29}}"#.utf8))
        #expect(answer?.status == "1")
        #expect(answer?.field("amount") == "60000.00")
        #expect(answer?.field("actual_amount") == "0.29")
        #expect(AggregatorAnswer(body: Array(#"{"status":"1","status":"0"}"#.utf8)) == nil)
    }

    @Test func bothOfTheSeedsFormsAreFen() {
        #expect(AggregatorAmount.fen("60000") == 60_000)
        #expect(AggregatorAmount.fen("60000.00") == 60_000)
        #expect(AggregatorAmount.fen("60000.0") == 60_000)
        #expect(AggregatorAmount.money("1") == Money(minorUnits: 1, currency: .cny))
    }

    @Test func anythingElseIsNotReadAsAnAmount() {
        for text in ["600.50", "600.05", "-100", "", ".00", "1e4", "60000.", "60000.000", "6 0000", "١٢٣", "+100", "9999999999999999"] {
            #expect(AggregatorAmount.fen(text) == nil, "\(text)")
        }
    }

    @Test func aDotZeroAmountThatMatchesOnlyAsYuanIsAmbiguous() {
        let order = Money(minorUnits: 60_000, currency: .cny)
        #expect(AggregatorAmount.isYuanOnlyReading("600.00", expected: order))
        #expect(!AggregatorAmount.isYuanOnlyReading("60000.00", expected: order))
        #expect(!AggregatorAmount.isYuanOnlyReading("60000", expected: order))
        // An integer is fen by the seed's word: never read as yuan.
        #expect(!AggregatorAmount.isYuanOnlyReading("600", expected: order))
    }
}
