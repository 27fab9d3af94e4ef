/// Which language a run of the till speaks, and why.
///
/// The rule: `--language`, then `[store] language`, then the locale (`LC_ALL`, then
/// `LC_MESSAGES`, then `LANG`): zh_HK, zh_TW and zh_MO give Traditional Chinese, zh_CN and
/// zh_SG Simplified Chinese, a locale naming another catalog's language that language,
/// anything else English. A terminal whose character set (`LC_ALL`, `LC_CTYPE`, `LANG`) is
/// not UTF-8 cannot show Chinese: the till then speaks English and `note` says why, once.
public struct LanguageChoice: Sendable, Equatable {
    public var language: Language
    /// Why the language asked for is not the one used; nil when it is.
    public var note: String?

    public init(language: Language, note: String? = nil) {
        self.language = language
        self.note = note
    }

    /// Applies the rule to what the command line, the configuration and the environment say.
    public static func resolve(flag: Language?, configured: Language?, environment: [String: String]) -> LanguageChoice {
        let wanted = flag ?? configured ?? fromLocale(environment)
        guard !wanted.isASCII, !isUTF8(environment) else { return LanguageChoice(language: wanted) }
        let (name, value) = charsetVariable(environment)
        let shown = name.map { "\($0)=\(value)" } ?? "no LANG, LC_CTYPE or LC_ALL"
        return LanguageChoice(language: .english, note:
            "The terminal's locale is not UTF-8 (\(shown)), so the till speaks English instead of \(wanted.code): "
            + "start it under a UTF-8 locale, e.g. LANG=\(suggestedLocale(for: wanted)), to use \(wanted.code).")
    }

    /// The choice once the screen is open: ncurses has the final word on whether the terminal
    /// shows UTF-8, and one that does not gets English and a note saying why.
    public func onTerminal(unicode: Bool) -> LanguageChoice {
        guard !unicode, !language.isASCII else { return self }
        return LanguageChoice(language: .english, note:
            "The terminal does not show UTF-8 (ncurses reports another character set), so the till speaks English instead of "
            + "\(language.code): start it under a UTF-8 locale, e.g. LANG=\(Self.suggestedLocale(for: language)), to use \(language.code).")
    }

    /// The language the locale names, English when it names none with a catalog.
    public static func fromLocale(_ environment: [String: String]) -> Language {
        guard let locale = firstSet(["LC_ALL", "LC_MESSAGES", "LANG"], in: environment)?.value else { return .english }
        // language[_territory][.codeset][@modifier]
        let name = locale.split(separator: ".", maxSplits: 1)[0].split(separator: "@", maxSplits: 1)[0]
        let parts = name.split(whereSeparator: { $0 == "_" || $0 == "-" }).map { $0.lowercased() }
        guard let language = parts.first else { return .english }
        if language == "zh" {
            let rest = Set(parts.dropFirst())
            if !rest.isDisjoint(with: ["hk", "tw", "mo", "hant"]) { return .traditionalChinese }
            if !rest.isDisjoint(with: ["cn", "sg", "hans"]) { return .simplifiedChinese }
            return .english
        }
        return Language(code: language) ?? .english
    }

    /// True when the locale's character set is UTF-8 (`C.UTF-8`, `zh_HK.UTF-8`, `en_US.utf8`).
    public static func isUTF8(_ environment: [String: String]) -> Bool {
        let value = charsetVariable(environment).value
        guard let dot = value.firstIndex(of: ".") else { return false }
        let codeset = value[value.index(after: dot)...].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return ["utf-8", "utf8"].contains(codeset.lowercased())
    }

    private static func charsetVariable(_ environment: [String: String]) -> (name: String?, value: String) {
        guard let found = firstSet(["LC_ALL", "LC_CTYPE", "LANG"], in: environment) else { return (nil, "C") }
        return (found.name, found.value)
    }

    /// The first variable set to something; an empty value counts as unset, as in POSIX.
    private static func firstSet(_ names: [String], in environment: [String: String]) -> (name: String, value: String)? {
        for name in names { if let value = environment[name], !value.isEmpty { return (name, value) } }
        return nil
    }

    private static func suggestedLocale(for language: Language) -> String {
        switch language {
        case .traditionalChinese: "zh_HK.UTF-8"
        case .simplifiedChinese: "zh_CN.UTF-8"
        default: "C.UTF-8"
        }
    }
}
