import HTTPTransport
import Testing

@Suite struct GatewayJSONTests {
    @Test func numbersKeepTheTextTheyWereWrittenIn() {
        let value = GatewayJSON.parse(Array(#"{"amount":12.30,"n":[1,-2.5e3],"s":"a\"\u00e9\n","t":true,"z":null}"#.utf8))
        #expect(value == .object(["amount": .number("12.30"), "n": .array([.number("1"), .number("-2.5e3")]),
                                  "s": .string("a\"é\n"), "t": .bool(true), "z": .null]))
    }

    @Test(arguments: [#"{"a":1,"a":2}"#, #"{"a":1"#, #"{"a":01x}"#, "[1,]", #"{"a":1} x"#, ""])
    func ambiguousOrBrokenDocumentsAreRefused(text: String) {
        #expect(GatewayJSON.parse(Array(text.utf8)) == nil)
    }

    @Test func writtenObjectsKeepTheGivenOrderAndEscapeWhatJSONRequires() {
        #expect(GatewayJSON.ordered([("b", .string("x\"y\u{01}")), ("a", .number("1"))]) == #"{"b":"x\"y\u0001","a":1}"#)
    }
}
