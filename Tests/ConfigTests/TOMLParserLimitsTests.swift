import Config
import Testing

/// Hostile or huge files: refused with the usual file:line message, or read in full; never a
/// crash. (How fast is `shroff-bench`'s business, not a test's.)
@Suite("TOML reader: nesting, many headers, long dotted keys")
struct TOMLParserLimitsTests {
    @Test(arguments: ["[", "{ a = "])
    func deepNestingIsRefusedWithALineNotACrash(opener: String) {
        // 20,000 levels overflowed the stack before there was a limit.
        let text = "x = " + String(repeating: opener, count: 20_000)
        #expect {
            _ = try TOMLParser.parse(text, path: "deep.toml")
        } throws: { error in
            let message = "\(error)"
            return message.contains("deep.toml:1:") && message.contains("nest more than 64 deep")
        }
    }

    @Test func nestingWithinTheLimitIsRead() throws {
        let text = "x = " + String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
        var value = try #require(try TOMLParser.parse(text, path: "ok.toml")["x"])
        for _ in 0..<63 {
            guard case .array(let items) = value, items.count == 1 else { Issue.record("not nested arrays"); return }
            value = items[0]
        }
        #expect(value == .array([.integer(1)]))
    }

    @Test func tenThousandArrayOfTablesHeadersAreAllKeptInOrder() throws {
        let text = (0..<10_000).map { "[[item]]\nn = \($0)" }.joined(separator: "\n")
        guard case .array(let items)? = try TOMLParser.parse(text, path: "many.toml")["item"] else {
            Issue.record("no array of tables"); return
        }
        #expect(items.count == 10_000)
        guard case .table(let first) = items[0] else { Issue.record("not a table"); return }
        #expect(first["n"] == .integer(0))
        guard case .table(let last) = items[9_999] else { Issue.record("not a table"); return }
        #expect(last["n"] == .integer(9_999))
    }

    @Test func aLongDottedKeyIsRead() throws {
        let parts = (0..<2_000).map { "k\($0)" }
        let table = try TOMLParser.parse(parts.joined(separator: ".") + " = 1", path: "dotted.toml")
        #expect(table[path: parts] == .integer(1))
    }
}

@Suite("TOML reader: byte-order marks")
struct TOMLParserByteOrderMarkTests {
    @Test func oneAtTheStartIsAllowed() throws {
        #expect(try TOMLParser.parse("\u{FEFF}a = 1", path: "bom.toml")["a"] == .integer(1))
    }

    @Test func aSecondOneIsRefusedWithWhatToDo() {
        #expect {
            _ = try TOMLParser.parse("\u{FEFF}\u{FEFF}a = 1", path: "bom.toml")
        } throws: { error in
            "\(error)".hasPrefix("bom.toml:1:") && "\(error)".contains("allowed only once, at the very start")
        }
    }
}
