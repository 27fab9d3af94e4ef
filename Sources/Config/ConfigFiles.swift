import Foundation

/// The few file-system questions the loader asks, each answered without throwing.
enum ConfigFiles {
    enum Entry { case missing, file, directory }

    static func entry(at path: String) -> Entry {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }

    /// The permission bits (`stat` mode & 0o7777), nil when they cannot be read.
    static func permissions(of path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }

    /// The file's text, nil when it cannot be read or is not UTF-8.
    /// The file as UTF-8 text, byte for byte: a byte-order mark is left for the TOML reader,
    /// which allows one at the start and no other (Foundation's decoder would drop one silently).
    static func text(at path: String) -> String? {
        FileManager.default.contents(atPath: path).flatMap { String(validating: Array($0), as: UTF8.self) }
    }
}
