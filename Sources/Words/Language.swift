/// A language the till speaks: the code of one catalog in `Catalogs/` ("en", "zh-Hant", "zh-Hans").
///
/// Promises: a `Language` made through `init?(code:)` always has a catalog, so every message
/// it is asked for has wording (its own, or English where the catalog lacks one).
public struct Language: Hashable, Sendable, CustomStringConvertible {
    public let code: String

    /// The language whose catalog is the reference: every message has English wording.
    public static let english = Language(checked: "en")
    /// Traditional Chinese with Hong Kong wording.
    public static let traditionalChinese = Language(checked: "zh-Hant")
    /// Simplified Chinese, as on the mainland.
    public static let simplifiedChinese = Language(checked: "zh-Hans")

    /// The language of catalog `code` (case as in the file name, compared case-insensitively); nil when there is none.
    public init?(code: String) {
        guard let known = Catalog.bundled.keys.first(where: { $0.lowercased() == code.lowercased() }) else { return nil }
        self.code = known
    }

    private init(checked code: String) { self.code = code }

    /// Every language with a catalog, English first.
    public static var all: [Language] {
        Catalog.bundled.keys.sorted { ($0 == "en" ? "" : $0) < ($1 == "en" ? "" : $1) }.map(Language.init(checked:))
    }

    /// True when the language is written in ASCII alone; any other needs a UTF-8 terminal.
    public var isASCII: Bool { code == "en" }

    public var description: String { code }
}
