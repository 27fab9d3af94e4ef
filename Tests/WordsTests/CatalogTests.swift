import CheckoutCore
import Foundation
import Testing
@testable import Words

/// The catalogs a translator edits: complete, consistent with the English, and read as PO.
struct CatalogTests {
    static let english = Catalog.bundled["en"]!

    @Test(arguments: ["zh-Hant", "zh-Hans"])
    func everyMessageIsTranslatedWithTheSamePlaceholders(code: String) throws {
        let catalog = try #require(Catalog.bundled[code], "no \(code).po among the resources")
        for (key, english) in CatalogTests.english.entries.sorted(by: { $0.key < $1.key }) {
            let entry = try #require(catalog.entries[key], "\(code).po lacks \(key)")
            #expect(entry.english == english.english, "\(code).po translates an old English wording of \(key)")
            #expect(!entry.translation.isEmpty, "\(code).po leaves \(key) untranslated")
            let expected = Set(Words.placeholders(english.english))
            let found = Set(Words.placeholders(entry.translation))
            if key.hasPrefix("format.") {
                // A format offers its placeholders as a menu (a date's day with or without a leading zero).
                #expect(!found.isEmpty && found.isSubset(of: Words.formatArguments[key] ?? []), "\(code).po: \(key) uses \(found)")
            } else {
                #expect(found == expected, "\(code).po: \(key) has \(found.sorted()), English has \(expected.sorted())")
            }
        }
        let extra = Set(catalog.entries.keys).subtracting(CatalogTests.english.entries.keys)
        #expect(extra.isEmpty, "\(code).po has messages English no longer has: \(extra.sorted())")
    }

    @Test func everyMessageTheCodeAsksForIsInTheEnglishCatalog() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources").standardizedFileURL
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let pattern = try Regex(#"words\("([a-z0-9_.]+)""#)
        var asked = Set<String>()
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) { asked.insert(String(match.output[1].substring!)) }
        }
        #expect(asked.count > 10)
        let missing = asked.subtracting(CatalogTests.english.entries.keys)
        #expect(missing.isEmpty, "asked for but in no catalog: \(missing.sorted())")
    }

    @Test func everyKeyMadeFromAValueIsInTheEnglishCatalog() {
        // Keys built from a value at run time, which the scan of the sources cannot see.
        var keys = Wallet.allCases.map { "wallet.\($0.rawValue)" } + DeclineReason.allCases.map { "decline.\($0.rawValue)" }
        for status in OrderStatus.allCases {
            keys += ["status.\(status.rawValue)", "report.status.\(status.rawValue)", "receipt.status.\(status.rawValue)"]
        }
        keys += RefundStatus.allCases.map { "receipt.refund_status.\($0.rawValue)" }
        keys += ["pay", "query", "cancel", "close", "create-qrcode"].map { "operation.\($0)" }
        let missing = Set(keys).subtracting(CatalogTests.english.entries.keys)
        #expect(missing.isEmpty, "no wording for \(missing.sorted())")
    }

    @Test func aMessageMissingFromALanguageIsWordedInEnglish() throws {
        // Given a Traditional catalog that lacks one message and leaves another untranslated
        let english = try Catalog(po: """
            msgctxt "sale.title"
            msgid "New sale"
            msgstr ""

            msgctxt "sale.total"
            msgid "Total {amount}"
            msgstr ""
            """)
        let partial = try Catalog(po: """
            msgctxt "sale.total"
            msgid "Total {amount}"
            msgstr ""
            """)
        let words = Words(.traditionalChinese, catalogs: ["en": english, "zh-Hant": partial])
        // Then both read in English, placeholders filled; a key no catalog has never crashes
        #expect(words("sale.title") == "New sale")
        #expect(words("sale.total", ["amount": "HK$3.00"]) == "Total HK$3.00")
        #expect(words("no.such.key", ["n": "1"]) != "")
    }

    @Test func poFilesAreReadAsGettextWritesThem() throws {
        let catalog = try Catalog(po: #"""
            # a translator's comment
            msgid ""
            msgstr ""
            "Language: zh_HK\n"

            #. a developer's note
            msgctxt "refund.confirm"
            msgid "Refund {amount}? "
            "y/n"
            msgstr "退款 {amount}？"
            "\"y\"/n\n"
            """#)
        #expect(catalog.entries.count == 1)
        #expect(catalog.entries["refund.confirm"] == Catalog.Entry(english: "Refund {amount}? y/n", translation: "退款 {amount}？\"y\"/n\n"))
        #expect(throws: CatalogError.self) { try Catalog(po: "msgctxt \"a\"\nmsgid \"x\nmsgstr \"y\"") }
    }

    @Test func placeholdersAreFilledByName() {
        #expect(Words.fill("{a} and {b} and {a}", ["a": "1", "b": "2"]) == "1 and 2 and 1")
        #expect(Words.fill("{unknown} {", ["a": "1"]) == "{unknown} {")
    }
}
