import Testing
import Words

/// The locale rules: which language a till speaks with no flag and no `[store] language`.
struct LanguageChoiceTests {
    @Test(arguments: [
        ("zh_HK.UTF-8", "zh-Hant"), ("zh_TW.UTF-8", "zh-Hant"), ("zh_MO.UTF-8", "zh-Hant"),
        ("zh_CN.UTF-8", "zh-Hans"), ("zh_SG.UTF-8", "zh-Hans"), ("zh_CN.utf8", "zh-Hans"),
        ("en_US.UTF-8", "en"), ("en_HK.UTF-8", "en"), ("fr_FR.UTF-8", "en"), ("C.UTF-8", "en"), ("zh.UTF-8", "en"),
    ])
    func theLocaleNamesTheLanguage(locale: String, expected: String) {
        let choice = LanguageChoice.resolve(flag: nil, configured: nil, environment: ["LANG": locale])
        #expect(choice.language.code == expected)
        #expect(choice.note == nil)
    }

    @Test func lcAllComesBeforeLcMessagesWhichComesBeforeLang() {
        let all = ["LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "zh_HK.UTF-8", "LANG": "en_US.UTF-8"]
        #expect(LanguageChoice.resolve(flag: nil, configured: nil, environment: all).language == .simplifiedChinese)
        let messages = ["LC_MESSAGES": "zh_HK.UTF-8", "LANG": "zh_CN.UTF-8"]
        #expect(LanguageChoice.resolve(flag: nil, configured: nil, environment: messages).language == .traditionalChinese)
        // An empty variable counts as unset, as POSIX has it.
        let empty = ["LC_ALL": "", "LANG": "zh_HK.UTF-8"]
        #expect(LanguageChoice.resolve(flag: nil, configured: nil, environment: empty).language == .traditionalChinese)
    }

    @Test func theFlagBeatsTheConfigurationWhichBeatsTheLocale() {
        let environment = ["LANG": "zh_CN.UTF-8"]
        #expect(LanguageChoice.resolve(flag: nil, configured: .traditionalChinese, environment: environment).language == .traditionalChinese)
        #expect(LanguageChoice.resolve(flag: .english, configured: .traditionalChinese, environment: environment).language == .english)
        #expect(LanguageChoice.resolve(flag: .simplifiedChinese, configured: nil, environment: ["LANG": "C.UTF-8"]).language == .simplifiedChinese)
    }

    @Test func aTerminalThatIsNotUTF8GetsEnglishAndIsToldWhy() throws {
        // Given a Hong Kong locale in Big5, and a shop configured for Traditional Chinese
        let environment = ["LANG": "zh_HK.BIG5-HKSCS"]
        // When the language is chosen
        let choice = LanguageChoice.resolve(flag: nil, configured: .traditionalChinese, environment: environment)
        // Then the till speaks English, and says why in ASCII the terminal can show
        #expect(choice.language == .english)
        let note = try #require(choice.note)
        #expect(note.contains("LANG=zh_HK.BIG5-HKSCS"))
        #expect(note.contains("zh_HK.UTF-8"))
        #expect(note.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func aScreenNcursesFindsNotUTF8GetsEnglishAndIsToldWhyOnce() throws {
        // Given a UTF-8 locale asking for Simplified Chinese, on a terminal ncurses finds not UTF-8
        let chosen = LanguageChoice.resolve(flag: nil, configured: nil, environment: ["LANG": "zh_CN.UTF-8"])
        #expect(chosen == LanguageChoice(language: .simplifiedChinese))
        // When the screen opens
        let shown = chosen.onTerminal(unicode: false)
        // Then the till speaks English and the note says why and what to do, in ASCII
        #expect(shown.language == .english)
        let note = try #require(shown.note)
        #expect(note.contains("not show UTF-8") && note.contains("LANG=zh_CN.UTF-8") && note.contains("zh-Hans"), "\(note)")
        #expect(note.unicodeScalars.allSatisfy { $0.isASCII })
        // A UTF-8 screen, or English already, changes nothing
        #expect(chosen.onTerminal(unicode: true) == chosen)
        let english = LanguageChoice.resolve(flag: nil, configured: .traditionalChinese, environment: ["LANG": "C"])
        #expect(english.onTerminal(unicode: false) == english)
    }

    @Test func noLocaleAtAllIsNotUTF8() {
        let choice = LanguageChoice.resolve(flag: .simplifiedChinese, configured: nil, environment: [:])
        #expect(choice.language == .english)
        #expect(choice.note?.contains("no LANG, LC_CTYPE or LC_ALL") == true)
        // English needs nothing: no note.
        #expect(LanguageChoice.resolve(flag: nil, configured: nil, environment: [:]).note == nil)
    }

    @Test func theCharacterSetIsReadFromLcCtypeWhenLcAllIsUnset() {
        let environment = ["LC_CTYPE": "C", "LANG": "zh_HK.UTF-8"]
        let choice = LanguageChoice.resolve(flag: nil, configured: nil, environment: environment)
        #expect(choice.language == .english)
        #expect(choice.note?.contains("LC_CTYPE=C") == true)
    }

    @Test func languagesAreLookedUpByCatalogName() {
        #expect(Language(code: "zh-hant") == .traditionalChinese)
        #expect(Language(code: "ZH-HANS") == .simplifiedChinese)
        #expect(Language(code: "klingon") == nil)
        #expect(Language.all.map(\.code) == ["en", "zh-Hans", "zh-Hant"])
    }
}
