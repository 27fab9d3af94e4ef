import Config
import Foundation
import Testing
import Words

@Suite("Configuration: [store] language")
struct ConfigLanguageTests {
    func load(_ language: String?, in fixture: ConfigFixture) throws(ConfigError) -> ShroffConfiguration {
        let text = ConfigFixture.validConfig.replacingOccurrences(
            of: "[store]\n", with: "[store]\n" + (language.map { "language = \"\($0)\"\n" } ?? ""))
        let path: String
        do { path = try fixture.write("etc/shroff.toml", text) } catch { fatalError("cannot write fixture: \(error)") }
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
    }

    @Test func theShopsLanguageIsReadByItsCatalogName() throws {
        let fixture = try ConfigFixture()
        #expect(try load("zh-Hant", in: fixture).store.language == .traditionalChinese)
        #expect(try load("zh-Hans", in: fixture).store.language == .simplifiedChinese)
        #expect(try load(nil, in: fixture).store.language == nil)
    }

    @Test func aLanguageWithNoCatalogIsRefusedWithTheOnesThereAre() throws {
        let fixture = try ConfigFixture()
        do {
            _ = try load("zh-TW", in: fixture)
            Issue.record("zh-TW is not a catalog's name")
        } catch {
            #expect(error.description.contains("store.language \"zh-TW\" is not a language Shroff speaks"))
            #expect(error.description.contains("\"en\", \"zh-Hans\", \"zh-Hant\""))
        }
    }
}

@Suite("Configuration: [receipts] encoding")
struct ConfigReceiptEncodingTests {
    func load(_ encoding: String, in fixture: ConfigFixture) throws(ConfigError) -> ShroffConfiguration {
        let text = ConfigFixture.validConfig + "\n[receipts]\nencoding = \"\(encoding)\"\n"
        let path: String
        do { path = try fixture.write("etc/shroff.toml", text) } catch { fatalError("cannot write fixture: \(error)") }
        return try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
    }

    @Test func thePrintersCharacterSetIsRead() throws {
        let fixture = try ConfigFixture()
        #expect(try load("big5", in: fixture).receipts.encoding == .big5)
        #expect(try load("Big5-HKSCS", in: fixture).receipts.encoding == .big5HKSCS)
        #expect(try load("GB18030", in: fixture).receipts.encoding == .gb18030)
        #expect(try load("utf-8", in: fixture).receipts.encoding == .utf8)
    }

    @Test func anotherCharacterSetIsRefusedWithTheOnesThereAre() throws {
        let fixture = try ConfigFixture()
        do {
            _ = try load("shift_jis", in: fixture)
            Issue.record("shift_jis is not offered")
        } catch {
            #expect(error.description.contains("receipts.encoding \"shift_jis\" is not a printer character set"))
            #expect(error.description.contains("\"big5\", \"big5-hkscs\", \"gb18030\", \"utf-8\""))
        }
    }
}

@Suite("Configuration: the settings screen's rows in the cashier's language")
struct ConfigSummaryLanguageTests {
    @Test func theTillsOwnRowsAreWordedAndTheKeyIsStillNeverShown() throws {
        let fixture = try ConfigFixture()
        let path = try fixture.write("etc/shroff.toml", ConfigFixture.validConfig)
        let config = try ConfigLoader.load(explicitPath: path, environment: fixture.environment)
        let rows = Dictionary(config.summary(Words(.traditionalChinese)), uniquingKeysWith: { first, _ in first })
        #expect(rows["模式"] == "正式")
        #expect(rows["賬簿"] == config.store.ledgerPath)
        #expect(rows["查詢間隔"] == "3 秒")
        #expect(!config.summary(Words(.traditionalChinese)).contains { $0.1.contains(ConfigFixture.secretKey) })
        // English is as it was.
        #expect(Dictionary(config.summary(), uniquingKeysWith: { first, _ in first })["Poll interval"] == "3 s")
    }
}
