import Foundation

/// Where Shroff looks for and keeps files, following the XDG base directory rules, from an
/// explicit environment (never the process's own, so tests and callers stay in control).
struct ConfigPaths {
    let environment: [String: String]

    var home: String? { nonEmpty("HOME") }

    /// `$XDG_CONFIG_HOME/shroff/config.toml`, or `~/.config/shroff/config.toml`.
    var defaultConfigFile: String? {
        baseDirectory("XDG_CONFIG_HOME", fallback: ".config").map { $0 + "/shroff/config.toml" }
    }

    /// `$XDG_DATA_HOME/shroff`, or `~/.local/share/shroff`.
    var dataDirectory: String? {
        baseDirectory("XDG_DATA_HOME", fallback: ".local/share").map { $0 + "/shroff" }
    }

    var trainingLedger: String? { dataDirectory.map { $0 + "/training-ledger.sqlite" } }
    var defaultLedger: String? { dataDirectory.map { $0 + "/ledger.sqlite" } }

    /// Expands a leading `~` to `$HOME`; nil when the path needs `$HOME` and it is unset.
    func expandingTilde(_ path: String) -> String? {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home.map { $0 + path.dropFirst() } }
        return path
    }

    /// An absolute, tidied path: `~` expanded, and a relative path taken from `directory`.
    func resolve(_ path: String, relativeTo directory: String) -> String? {
        guard let expanded = expandingTilde(path) else { return nil }
        let absolute = expanded.hasPrefix("/") ? expanded : directory + "/" + expanded
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The XDG rules ignore a relative value.
    private func baseDirectory(_ variable: String, fallback: String) -> String? {
        if let value = nonEmpty(variable), value.hasPrefix("/") { return value }
        return home.map { $0 + "/" + fallback }
    }
}
