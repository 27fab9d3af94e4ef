/// The wording of every message in one language: the only place a sentence is made from a
/// message key and its arguments.
///
/// A message is asked for by key with named arguments (`words("sale.total", ["amount": …])`);
/// its wording carries them as `{amount}`. Promises: the answer is never a raw key and never
/// fails: a message the language's catalog lacks (or has not translated) is worded in English,
/// and a key no catalog knows, which the tests rule out, is shown with its arguments.
public struct Words: Sendable {
    public let language: Language
    let catalogs: [String: Catalog]

    public init(_ language: Language) {
        self.init(language, catalogs: Catalog.bundled)
    }

    init(_ language: Language, catalogs: [String: Catalog]) {
        self.language = language
        self.catalogs = catalogs
    }

    /// English: the till's words before a language is chosen, and in tests.
    public static let english = Words(.english)

    /// Why the program cannot word its messages, or nil when its catalogs are in place: the
    /// catalogs ship as a folder beside the program, and a copy of `shroff` moved without it
    /// would show message keys instead of sentences.
    public static var missingCatalogs: String? {
        guard Catalog.bundled[Language.english.code] == nil else { return nil }
        return "shroff cannot find its message catalogs: copy the folder Shroff_Words.resources from the build folder "
            + "(.build/release or .build/debug) into the folder that holds the shroff program"
    }

    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        Words.fill(template(key) ?? fallback(key, arguments), arguments)
    }

    /// The wording for `key` with `{name}` placeholders, nil when no catalog has it.
    func template(_ key: String) -> String? {
        if let entry = catalogs[language.code]?.entries[key], !entry.translation.isEmpty { return entry.translation }
        if let english = catalogs[Language.english.code]?.entries[key] {
            return english.translation.isEmpty ? english.english : english.translation
        }
        return catalogs[language.code]?.entries[key]?.english
    }

    private func fallback(_ key: String, _ arguments: [String: String]) -> String {
        ([key] + arguments.keys.sorted().map { "{\($0)}" }).joined(separator: " ")
    }

    /// `template` with each `{name}` replaced by its argument; a name without one stays as written.
    static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                result += rest[open...]
                return result
            }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = arguments[name] { result += value } else { result += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The `{name}` placeholders a wording carries, in order of first use.
    static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            if !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
