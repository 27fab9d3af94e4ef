import Foundation

/// One language's messages, read from a gettext PO file: each entry's `msgctxt` is the
/// message's key, `msgid` its English wording and `msgstr` the translation (empty: not
/// translated yet, as gettext has it).
///
/// Promises: `bundled` holds one catalog per `.po` file shipped in `Catalogs/`, named by the
/// file's name ("zh-Hant"); a file that cannot be read or parsed is left out, never a crash.
struct Catalog: Sendable {
    struct Entry: Sendable, Equatable {
        var english: String
        var translation: String
    }

    var entries: [String: Entry]

    /// Where the shipped catalogs are: `Shroff_Words.resources/Catalogs` beside the program
    /// (symlinks resolved), where `swift build` puts them and an installed copy must carry them;
    /// nil when missing. Not `Bundle.module`, which stops the program when its folder is missing.
    static let folder: URL? = {
        let programs = [Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(), Bundle.main.bundleURL]
        return programs.compactMap { $0?.appendingPathComponent("Shroff_Words.resources/Catalogs") }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(Language.english.code + ".po").path) }
    }()

    /// Every catalog shipped with the program, by language code.
    static let bundled: [String: Catalog] = {
        guard let folder,
              let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else { return [:] }
        var catalogs: [String: Catalog] = [:]
        for file in files where file.pathExtension == "po" {
            guard let data = try? Data(contentsOf: file), let text = String(data: data, encoding: .utf8),
                  let catalog = try? Catalog(po: text) else { continue }
            catalogs[file.deletingPathExtension().lastPathComponent] = catalog
        }
        return catalogs
    }()
}

/// Why a PO file could not be read, with its line.
struct CatalogError: Error, Equatable, CustomStringConvertible {
    var line: Int
    var why: String
    var description: String { "line \(line): \(why)" }
}

extension Catalog {
    /// Reads PO text: `msgctxt`, `msgid`, `msgstr`, continued on `"…"` lines; `#` comments skipped;
    /// the header entry (empty `msgid`) and entries without `msgctxt` are ignored.
    init(po text: String) throws(CatalogError) {
        var entries: [String: Entry] = [:]
        var fields: [String: String] = [:]
        var current: String?

        func finish() {
            if let key = fields["msgctxt"], let english = fields["msgid"], !english.isEmpty {
                entries[key] = Entry(english: english, translation: fields["msgstr"] ?? "")
            }
            fields = [:]
            current = nil
        }

        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { finish(); continue }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("\"") {
                guard let field = current else { throw CatalogError(line: index + 1, why: "a continued string with no field before it") }
                fields[field, default: ""] += try Catalog.unquote(line, line: index + 1)
                continue
            }
            guard let space = line.firstIndex(of: " ") else { throw CatalogError(line: index + 1, why: "expected msgctxt, msgid or msgstr") }
            let field = String(line[..<space])
            guard ["msgctxt", "msgid", "msgstr"].contains(field) else {
                throw CatalogError(line: index + 1, why: "\(field) is not a field this reader knows (msgctxt, msgid, msgstr)")
            }
            if field == "msgctxt", fields["msgid"] != nil { finish() }
            fields[field] = try Catalog.unquote(line[line.index(after: space)...].trimmingCharacters(in: .whitespaces), line: index + 1)
            current = field
        }
        finish()
        self.entries = entries
    }

    static func unquote(_ quoted: String, line: Int) throws(CatalogError) -> String {
        guard quoted.count >= 2, quoted.hasPrefix("\""), quoted.hasSuffix("\"") else {
            throw CatalogError(line: line, why: "a string must be in double quotes")
        }
        var result = ""
        var escaped = false
        for character in quoted.dropFirst().dropLast() {
            if escaped {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"", "\\": result.append(character)
                default: throw CatalogError(line: line, why: "unknown escape \\\(character)")
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
