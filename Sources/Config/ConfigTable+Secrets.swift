import Foundation

extension ConfigTable {
    /// The gateway key from exactly one of `key`, `key_env` or `key_file`.
    ///
    /// Refuses `key` in a file others can read, and a `key_file` others can read; errors name
    /// the variable or file, never the key.
    func gatewayKey(context: ConfigContext) throws(ConfigError) -> (Secret, KeySource) {
        let given = ["key", "key_env", "key_file"].filter(contains)
        guard given.count == 1, let source = given.first else {
            let how = "set exactly one of key_env (the name of an environment variable holding the key), "
                + "key_file (a file holding it, readable only by you) or key"
            if given.isEmpty {
                throw ConfigError(.missingKey, file: file, key: fullKey("key"), line: line,
                                  "\(displayName) has no gateway key: \(how)" + (line == nil ? " (in \(file))" : ""))
            }
            throw error(.missingKey, key: given[1], "\(displayName) sets both \(given[0]) and \(given[1]): \(how)")
        }

        switch source {
        case "key":
            let key = try requiredString("key", example: "\"…\"")
            if context.fileMode & 0o077 != 0 {
                throw ConfigError(.insecurePermissions, file: file, key: fullKey("key"),
                                  "\(file) holds a secret (\(fullKey("key"))) and is readable by other users: run chmod 600 \(file)")
            }
            return (Secret(key), .configurationFile(file))

        case "key_env":
            let name = try requiredString("key_env", example: "\"SHROFF_WANTU_KEY\"")
            guard let key = context.paths.environment[name], !key.isEmpty else {
                throw error(.secretUnavailable, key: "key_env",
                            "environment variable \(name) (named by \(fullKey("key_env"))) is not set or is empty: export it before starting shroff")
            }
            return (Secret(key), .environment(name))

        default:
            let written = try requiredString("key_file", example: "\"~/.config/shroff/wantu.key\"")
            guard let path = context.paths.resolve(written, relativeTo: context.directory) else {
                throw error(.noHomeDirectory, key: "key_file", "\(fullKey("key_file")) starts with ~ but $HOME is not set")
            }
            return (try readKeyFile(path), .keyFile(path))
        }
    }

    private func readKeyFile(_ path: String) throws(ConfigError) -> Secret {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw error(.secretUnavailable, key: "key_file", "key file \(path) (\(fullKey("key_file"))) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw error(.unreadable, key: "key_file", "key file \(path) (\(fullKey("key_file"))) is a directory, not a file")
        }
        if let mode = ConfigFiles.permissions(of: path), mode & 0o077 != 0 {
            throw ConfigError(.insecurePermissions, file: path, key: fullKey("key_file"),
                              "\(path) holds a secret (\(fullKey("key_file"))) and is readable by other users: run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw error(.unreadable, key: "key_file", "key file \(path) (\(fullKey("key_file"))) cannot be read as UTF-8 text")
        }
        var key = Substring(text)
        while let last = key.last, last == "\n" || last == "\r\n" || last == "\r" { key.removeLast() }
        guard !key.isEmpty else {
            throw error(.secretUnavailable, key: "key_file", "key file \(path) (\(fullKey("key_file"))) is empty: write the gateway key in it")
        }
        return Secret(String(key))
    }
}
