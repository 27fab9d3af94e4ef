import CheckoutCore
import Foundation
import Testing
import TestSupport
import Words
@testable import TerminalUI

/// Every screen of the till in each language, at 80×24: what a Hong Kong, a mainland and an
/// English-reading cashier see.
@Suite("Model: every screen in every language")
struct ModelLanguageFrameTests {
    static let languages: [Language] = [.english, .traditionalChinese, .simplifiedChinese]

    static func screens(_ language: Language) -> [(String, TillState)] {
        ModelFrameTests.everyScreen(training: true, words: Words(language)) + ModelFrameTests.everyScreen(training: false, words: Words(language))
    }

    @Test(arguments: languages)
    func everyScreenFitsEightyByTwentyFourAndItsBoxesLineUp(language: Language) {
        for (name, state) in Self.screens(language) {
            let frame = state.render(size: .minimum)
            #expect(frame.rows.count == 24, "\(language) \(name)")
            for (index, line) in frame.lines.enumerated() {
                #expect(DisplayWidth.of(line) == 80, "\(language) \(name) row \(index) is \(DisplayWidth.of(line)) columns: \(line)")
            }
            #expect(Self.boxProblems(frame.lines).isEmpty, "\(language) \(name): \(Self.boxProblems(frame.lines))\n\(frame.text)")
        }
    }

    /// Latin words a Chinese screen may show: key caps, the product's name, ISO codes, the
    /// gateway's and the fixture store's names, what the owner typed (the refund's reason), and
    /// what the fixture hands over as others wrote it: the gateway's own code and message, the
    /// ledger's path and server, the system's reason, and the settings screen's rows ("Ledger").
    static let allowedLatin: Set<String> = [
        "Enter", "Esc", "Bksp", "Del", "PgUp", "PgDn", "Backspace", "F", "y", "n", "m", "w", "a", "c", "s", "r", "q", "h", "f", "x", "z", "g",
        "Shroff", "HKD", "CNY", "HK", "QR", "UTF", "LANG", "zh_HK", "wantu", "Lucky", "Tea", "X", "Z",
        "NOTENOUGH", "WT", "Ledger", "var", "lib", "shroff", "ledger", "sqlite", "db", "ECONNREFUSED", "wrong", "size",
    ]

    @Test(arguments: [Language.traditionalChinese, .simplifiedChinese])
    func noEnglishWordIsLeftOnAChineseScreen(language: Language) {
        for (name, state) in Self.screens(language) {
            let text = state.render(size: .minimum).text
            let words = text.matches(of: /[A-Za-z_]+/).map { String($0.output) }
            // Order numbers and trade numbers mix letters and digits: they are not words.
            let stray = Set(words).subtracting(Self.allowedLatin).filter { word in
                (try? Regex("[0-9]\(word)|\(word)[0-9]")).flatMap { text.firstMatch(of: $0) } == nil
            }
            #expect(stray.isEmpty, "\(language) \(name) shows English: \(stray.sorted())\n\(text)")
        }
    }

    @Test(arguments: languages)
    func theTrainingBannerLeavesTheStoreNameWhole(language: Language) {
        // Given the till a missing configuration starts: training, named "Training store"
        let store = TillState.Store(name: "Training store", currency: .hkd, timeZone: TimeZone(identifier: "UTC")!, training: true,
                                    settings: [])
        let state = TillState(store: store, words: Words(language), unicode: true, colour: true, wall: Date())
        // Then at 80 columns the header shows the name and the training banner side by side
        let header = state.render(size: .minimum).lines[0]
        #expect(header.hasPrefix(" Shroff · Training store "), "\(header)")
        #expect(header.contains(" \(Words(language)("header.training")) "), "\(header)")
    }

    @Test func eachChineseScreenKeepsToItsOwnScript() throws {
        let han = { (text: String) in String(text.unicodeScalars.filter { (0x3400...0x9FFF).contains($0.value) }.map(Character.init)) }
        let hant = Self.screens(.traditionalChinese).map { han($0.1.render(size: .minimum).text) }.joined()
        let hans = Self.screens(.simplifiedChinese).map { han($0.1.render(size: .minimum).text) }.joined()
        #expect(hant.count > 200 && hans.count > 200)
        #expect(try ScriptCheck.unencodable(hant, codec: "big5") == "", "Traditional screens show characters Big5 lacks")
        #expect(try ScriptCheck.unencodable(hans, codec: "gb2312") == "", "Simplified screens show characters GB2312 lacks")
        #expect(hant != hans)
    }

    @Test func hongKongCashiersReadTheirWalletsAndAmounts() {
        var state = Fixture.state(words: Words(.traditionalChinese))
        Fixture.type("12.30", into: &state)
        let sale = Fixture.screen(state)
        #expect(sale.contains("新交易") && sale.contains("HK$12.30") && sale.contains("支付寶"), "\(sale)")
        var menu = Fixture.state(words: Words(.simplifiedChinese))
        _ = Fixture.press(.character("m"), &menu)
        #expect(Fixture.screen(menu).contains("退款"))
    }

    @Test(arguments: [Language.traditionalChinese, .simplifiedChinese])
    func theQRCodeStillDecodesBesideChineseText(language: Language) throws {
        // Given a WeChat QR sale on a Chinese screen, drawn in dark ink (no colour)
        var state = Fixture.state(words: Words(language), colour: false)
        Fixture.type("12.30", into: &state)
        _ = Fixture.press(.character("w"), &state)
        let payload = "weixin://wxpay/bizpayurl?pr=Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56"
        _ = state.handle(.checkout(.showQR(payload)))
        let lines = state.render(size: .minimum).lines
        #expect(lines.joined().contains(language == .traditionalChinese ? "掃碼付款" : "扫码付款"))
        // When the code's cells are read back from the frame's text, as a phone reads the screen
        let glyphs: Set<Character> = ["▀", "▄", "█", " "]
        let qrRows = lines.dropFirst(1).prefix { line in
            let cells = Array(line.dropFirst(1).prefix(37))
            return cells.contains("█") || cells.contains("▀") || cells.contains("▄") || cells.allSatisfy(glyphs.contains)
        }
        var modules: [[Bool]] = []
        for line in qrRows {
            let cells = Array(line.dropFirst(1).prefix(37))
            modules.append(cells.map { $0 == "▀" || $0 == "█" })
            modules.append(cells.map { $0 == "▄" || $0 == "█" })
        }
        // Then it decodes to the payment link
        #expect(try ZBar.decode(modules: modules) == payload)
    }

    /// Where a box's corners and sides are out of line, as "row: what".
    static func boxProblems(_ lines: [String]) -> [String] {
        var problems: [String] = []
        func column(of glyph: Character, in line: String) -> Int? {
            var x = 0
            for character in line {
                if character == glyph { return x }
                x += DisplayWidth.of(character)
            }
            return nil
        }
        func lastColumn(of glyph: Character, in line: String) -> Int? {
            var x = 0, found: Int?
            for character in line {
                if character == glyph { found = x }
                x += DisplayWidth.of(character)
            }
            return found
        }
        guard let top = lines.firstIndex(where: { $0.contains("┌") }) else { return [] }
        guard let bottom = lines.firstIndex(where: { $0.contains("└") }) else { return ["\(top): no bottom"] }
        let left = column(of: "┌", in: lines[top]), right = column(of: "┐", in: lines[top])
        if column(of: "└", in: lines[bottom]) != left || column(of: "┘", in: lines[bottom]) != right { problems.append("\(bottom): corners") }
        for row in (top + 1)..<bottom {
            if column(of: "│", in: lines[row]) != left || lastColumn(of: "│", in: lines[row]).map({ $0 + 1 }) != right.map({ $0 + 1 }) {
                problems.append("\(row): sides")
            }
        }
        return problems
    }
}
