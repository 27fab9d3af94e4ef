import Config
import Testing

@Suite("TOML reader: malformed input")
struct TOMLParserErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(text: "name = \"Lucky", line: 1, column: 8, message: "unterminated string"),
        Case(text: "a = 1\nname = 'Lucky\nb = 2", line: 2, column: 8, message: "unterminated string"),
        Case(text: "a = \"\"\"never closed\n", line: 1, column: 5, message: "unterminated multi-line string"),
        Case(text: "[store]\nname \"Lucky\"", line: 2, column: 6, message: "expected '=' after key"),
        Case(text: "name", line: 1, column: 5, message: "expected '=' after key"),
        Case(text: "= 1", line: 1, column: 1, message: "expected a key before '='"),
        Case(text: "a = 1\nb = 2\na = 3", line: 3, column: 1, message: "duplicate key 'a' (first defined on line 1)"),
        Case(text: "[t]\nx.y = 1\nx.y = 2", line: 3, column: 3, message: "duplicate key 'x.y'"),
        Case(text: #"s = "ab\qc""#, line: 1, column: 8, message: "invalid escape sequence"),
        Case(text: #"s = "\u12G4""#, line: 1, column: 6, message: "invalid unicode escape"),
        Case(text: #"s = "\uD800""#, line: 1, column: 6, message: "not a Unicode scalar value"),
        Case(text: "n = 12x", line: 1, column: 5, message: "invalid number"),
        Case(text: "n = 1__000", line: 1, column: 5, message: "each '_' must sit between two digits"),
        Case(text: "n = _1", line: 1, column: 5, message: "expected a value"),
        Case(text: "n = 012", line: 1, column: 5, message: "leading zeros are not allowed"),
        Case(text: "n = 1.", line: 1, column: 5, message: "a decimal point needs digits on both sides"),
        Case(text: "n = -0x1F", line: 1, column: 5, message: "cannot have a sign"),
        Case(text: "n = 99999999999999999999", line: 1, column: 5, message: "integer out of range"),
        Case(text: "when = 1979-05-27", line: 1, column: 8, message: "dates and times are not supported"),
        Case(text: "word = hello", line: 1, column: 8, message: "text needs quotes"),
        Case(text: "flag = truth", line: 1, column: 8, message: "booleans are 'true' or 'false'"),
        Case(text: "a = ", line: 1, column: 5, message: "expected a value after '='"),
        Case(text: "a = 1 b = 2", line: 1, column: 7, message: "expected the end of the line after the value"),
        Case(text: "[store] name = 1", line: 1, column: 9, message: "expected the end of the line after the table header"),
        Case(text: "[store", line: 1, column: 7, message: "expected ']' to close the table header"),
        Case(text: "[[lane]\n", line: 1, column: 8, message: "expected ']]'"),
        Case(text: "[a]\nx = 1\n[a]", line: 3, column: 1, message: "table [a] is defined twice (first on line 1)"),
        Case(text: "a.b = 1\n[a]", line: 2, column: 1, message: "table [a] is defined twice"),
        Case(text: "a = { b = 1 }\n[a]", line: 2, column: 1, message: "already holds a value"),
        Case(text: "a = { b = 1 }\na.c = 2", line: 2, column: 1, message: "inline table"),
        Case(text: "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, column: 1, message: "created by a table header"),
        Case(text: "a = 1\na.b = 2", line: 2, column: 1, message: "already holds a value"),
        Case(text: "[[a]]\n[a]", line: 2, column: 1, message: "write [[a]]"),
        Case(text: "list = [1, 2", line: 1, column: 8, message: "unterminated array"),
        Case(text: "list = [1 2]", line: 1, column: 11, message: "expected ',' or ']'"),
        Case(text: "t = { a = 1, }", line: 1, column: 14, message: "trailing comma is not allowed"),
        Case(text: "t = { a = 1\n}", line: 1, column: 5, message: "unterminated inline table"),
        Case(text: "t = { a 1 }", line: 1, column: 9, message: "expected '=' after key"),
        Case(text: "a = 1 # bell \u{07}", line: 1, column: 14, message: "control character U+0007"),
    ]

    @Test(arguments: cases)
    func reportsWhereAndWhat(_ example: Case) {
        #expect {
            _ = try TOMLParser.parse(example.text, path: "/etc/shroff.toml")
        } throws: { error in
            guard let error = error as? TOMLError else { return false }
            #expect(error.path == "/etc/shroff.toml")
            #expect(error.position == TOMLPosition(line: example.line, column: example.column), "\(error)")
            #expect(error.message.contains(example.message), "\(error)")
            #expect(error.description.hasPrefix("/etc/shroff.toml:\(example.line):\(example.column): "))
            return true
        }
    }

    @Test func errorTextMatchesTheDocumentedFormat() {
        let text = "[store]\nname = \"Lucky\"\ncurrency = \"HKD\"\n\n# Wantu\n[providers.wantu]\nbase_url \"https://x\""
        #expect(throws: TOMLError(path: "/etc/shroff.toml", position: TOMLPosition(line: 7, column: 10),
                                  message: "expected '=' after key")) {
            _ = try TOMLParser.parse(text, path: "/etc/shroff.toml")
        }
    }

    @Test func errorsDoNotQuoteTheMalformedValue() {
        let secret = "s3cr3t-k3y-value"
        for text in ["key = \(secret)", "key = \"\(secret)", "key = \"\(secret)\\q\"", "key = '\(secret)' trailing"] {
            do {
                _ = try TOMLParser.parse(text, path: "/etc/shroff.toml")
                Issue.record("expected an error for \(text.count) characters of input")
            } catch {
                #expect(!error.description.contains(secret))
                #expect(!error.message.contains("k3y"))
            }
        }
    }
}
