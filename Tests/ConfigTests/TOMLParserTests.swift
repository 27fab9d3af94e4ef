import Config
import Testing

@Suite("TOML reader: what it accepts")
struct TOMLParserTests {
    func parse(_ text: String) throws -> TOMLTable {
        try TOMLParser.parse(text, path: "/test.toml")
    }

    @Test func commentsBlankLinesAndTables() throws {
        let table = try parse("""
            # a comment line
            title = "till" # a comment after a value

            [store]
              name = "Lucky"   # indented keys are fine
            [checkout]
            poll = 5
            """)
        #expect(table["title"] == .string("till"))
        #expect(table[path: ["store", "name"]] == .string("Lucky"))
        #expect(table[path: ["checkout", "poll"]] == .integer(5))
        #expect(table.keys == ["title", "store", "checkout"])
    }

    @Test func bareQuotedAndDottedKeys() throws {
        let table = try parse("""
            bare_key-1 = 1
            "quoted key" = 2
            'literal.key' = 3
            site."google.com".rank = 4
            a . b = 5
            """)
        #expect(table["bare_key-1"] == .integer(1))
        #expect(table["quoted key"] == .integer(2))
        #expect(table["literal.key"] == .integer(3))
        #expect(table[path: ["site", "google.com", "rank"]] == .integer(4))
        #expect(table[path: ["a", "b"]] == .integer(5))
    }

    @Test func nestedHeadersAndImplicitTables() throws {
        let table = try parse("""
            [providers.wantu]
            base_url = "https://x"
            [providers]
            default = "wantu"
            [providers.wantu.extra]
            deep = true
            """)
        #expect(table[path: ["providers", "wantu", "base_url"]] == .string("https://x"))
        #expect(table[path: ["providers", "default"]] == .string("wantu"))
        #expect(table[path: ["providers", "wantu", "extra", "deep"]] == .boolean(true))
    }

    @Test func dottedKeysThenSubTableHeader() throws {
        let table = try parse("""
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """)
        #expect(table[path: ["fruit", "apple", "color"]] == .string("red"))
        #expect(table[path: ["fruit", "apple", "taste", "sweet"]] == .boolean(true))
        #expect(table[path: ["fruit", "apple", "texture", "smooth"]] == .boolean(true))
    }

    @Test func basicStringEscapes() throws {
        let table = try parse(#"""
            s = "quote \" backslash \\ newline \n tab \t cr \r bs \b ff \f"
            u = "\u00E9\u6E2F \U0001F600"
            plain = "港幣 HKD"
            """#)
        #expect(table["s"] == .string("quote \" backslash \\ newline \n tab \t cr \r bs \u{08} ff \u{0C}"))
        #expect(table["u"] == .string("é港 😀"))
        #expect(table["plain"] == .string("港幣 HKD"))
    }

    @Test func literalStringsKeepBackslashes() throws {
        let table = try parse(#"""
            path = 'C:\Users\till\n'
            empty = ''
            """#)
        #expect(table["path"] == .string(#"C:\Users\till\n"#))
        #expect(table["empty"] == .string(""))
    }

    @Test func multilineStrings() throws {
        let table = try parse(#"""
            a = """
            first
            second"""
            b = """one \
                  two"""
            c = '''
            raw \n line
            '''
            d = """ends with a quote""""
            """#)
        #expect(table["a"] == .string("first\nsecond"))
        #expect(table["b"] == .string("one two"))
        #expect(table["c"] == .string("raw \\n line\n"))
        #expect(table["d"] == .string("ends with a quote\""))
    }

    @Test func integers() throws {
        let table = try parse("""
            a = 42
            b = +17
            c = -5
            d = 1_000_000
            e = 0
            f = 0xDEAD_beef
            g = 0o755
            h = 0b1101
            i = 9223372036854775807
            j = -9223372036854775808
            """)
        #expect(table["a"] == .integer(42))
        #expect(table["b"] == .integer(17))
        #expect(table["c"] == .integer(-5))
        #expect(table["d"] == .integer(1_000_000))
        #expect(table["e"] == .integer(0))
        #expect(table["f"] == .integer(0xDEADBEEF))
        #expect(table["g"] == .integer(0o755))
        #expect(table["h"] == .integer(13))
        #expect(table["i"] == .integer(.max))
        #expect(table["j"] == .integer(.min))
    }

    @Test func floats() throws {
        let table = try parse("""
            a = 2.5
            b = -0.01
            c = 5e+2
            d = 6.626e-34
            e = 1_000.000_1
            f = inf
            g = -inf
            h = nan
            i = 1E3
            """)
        #expect(table["a"] == .float(2.5))
        #expect(table["b"] == .float(-0.01))
        #expect(table["c"] == .float(500))
        #expect(table["d"] == .float(6.626e-34))
        #expect(table["e"] == .float(1000.0001))
        #expect(table["f"] == .float(.infinity))
        #expect(table["g"] == .float(-.infinity))
        #expect(table["h"]?.floatValue?.isNaN == true)
        #expect(table["i"] == .float(1000))
    }

    @Test func booleans() throws {
        let table = try parse("yes = true\nno = false")
        #expect(table["yes"] == .boolean(true))
        #expect(table["no"] == .boolean(false))
    }

    @Test func arraysOverSeveralLinesWithTrailingComma() throws {
        let table = try parse("""
            empty = []
            mixed = [1, "two", 3.0, [4, 5], { six = 6 }]
            codes = [
              "HKD",  # Hong Kong
              "CNY",
              # a comment between elements
              "MOP",
            ]
            """)
        #expect(table["empty"] == .array([]))
        let six = TOMLTable(entries: [.init(key: "six", value: .integer(6), position: .init(line: 2, column: 35))])
        #expect(table["mixed"] == .array([.integer(1), .string("two"), .float(3), .array([.integer(4), .integer(5)]), .table(six)]))
        #expect(table["codes"] == .array([.string("HKD"), .string("CNY"), .string("MOP")]))
    }

    @Test func inlineTables() throws {
        let table = try parse("""
            point = { x = 1, y = -2 }
            empty = {}
            nested = { name.first = "Ada", name.last = "Lee", tags = ["a"] }
            """)
        #expect(table[path: ["point", "x"]] == .integer(1))
        #expect(table[path: ["point", "y"]] == .integer(-2))
        #expect(table["empty"]?.tableValue?.entries.isEmpty == true)
        #expect(table[path: ["nested", "name", "first"]] == .string("Ada"))
        #expect(table[path: ["nested", "name", "last"]] == .string("Lee"))
        #expect(table[path: ["nested", "tags"]] == .array([.string("a")]))
    }

    @Test func arraysOfTables() throws {
        let table = try parse("""
            [[lane]]
            name = "one"
            [[lane]]
            name = "two"
            [lane.detail]
            open = true
            """)
        let lanes = try #require(table["lane"]?.arrayValue)
        #expect(lanes.count == 2)
        #expect(lanes[0].tableValue?["name"] == .string("one"))
        #expect(lanes[1].tableValue?[path: ["name"]] == .string("two"))
        #expect(lanes[1].tableValue?[path: ["detail", "open"]] == .boolean(true))
    }

    @Test func windowsLineEndings() throws {
        let table = try parse("a = 1\r\n[t]\r\nb = \"x\"\r\n")
        #expect(table["a"] == .integer(1))
        #expect(table[path: ["t", "b"]] == .string("x"))
    }

    @Test func aByteOrderMarkIsIgnored() throws {
        let table = try parse("\u{FEFF}a = 1")
        #expect(table["a"] == .integer(1))
        #expect(table.entry("a")?.position == TOMLPosition(line: 1, column: 1))
    }

    @Test func entriesRememberWhereTheyWereWritten() throws {
        let table = try parse("""
            [checkout]

              poll_interval_s = 5
            """)
        let checkout = try #require(table["checkout"]?.tableValue)
        #expect(table.entry("checkout")?.position == TOMLPosition(line: 1, column: 2))
        #expect(checkout.entry("poll_interval_s")?.position == TOMLPosition(line: 3, column: 3))
    }
}
