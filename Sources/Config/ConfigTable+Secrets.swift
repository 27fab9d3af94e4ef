import Foundation

extension ConfigTable {
    /// The gateway key from exactly one of `key`, `key_env` or `key_file`.
    func gatewayKey(context: ConfigContext) throws(ConfigError) -> (Secret, KeySource) {
        try secret("key", context: context)
    }

    /// A secret from exactly one of `NAME`, `NAME_env` or `NAME_file` ("secret", "appsecret").
    ///
    /// Refuses `NAME` in a file others can read, and a `NAME_file` others can read; errors name
    /// the variable or file, never the secret.
    func secret(_ name: String, context: ConfigContext) throws(ConfigError) -> (Secret, KeySource) {
        let inline = name, env = name + "_env", fileKey = name + "_file"
        let given = [inline, env, fileKey].filter(contains)
        guard given.count == 1, let source = given.first else {
            let how = "set exactly one of \(env) (the name of an environment variable holding it), "
                + "\(fileKey) (a file holding it, readable only by you) or \(inline)"
            if given.isEmpty {
                throw ConfigError(.missingKey, file: file, key: fullKey(inline), line: line,
                                  "\(displayName) has no \(name == "key" ? "gateway key" : name): \(how)" + (line == nil ? " (in \(file))" : ""))
            }
            throw error(.missingKey, key: given[1], "\(displayName) sets both \(given[0]) and \(given[1]): \(how)")
        }

        let gateway = path.last ?? "gateway"
        switch source {
        case inline:
            let key = try requiredString(inline, example: "\"…\"")
            if context.fileMode & 0o077 != 0 {
                throw ConfigError(.insecurePermissions, file: file, key: fullKey(inline),
                                  "\(file) holds a secret (\(fullKey(inline))) and is readable by other users: run chmod 600 \(file)")
            }
            return (Secret(key), .configurationFile(file))

        case env:
            let variable = try requiredString(env, example: "\"SHROFF_\(gateway.uppercased())_\(name.uppercased())\"")
            guard let key = context.paths.environment[variable], !key.isEmpty else {
                throw error(.secretUnavailable, key: env,
                            "environment variable \(variable) (named by \(fullKey(env))) is not set or is empty: export it before starting shroff")
            }
            return (Secret(key), .environment(variable))

        default:
            let written = try requiredString(fileKey, example: "\"~/.config/shroff/\(gateway).\(name)\"")
            guard let path = context.paths.resolve(written, relativeTo: context.directory) else {
                throw error(.noHomeDirectory, key: fileKey, "\(fullKey(fileKey)) starts with ~ but $HOME is not set")
            }
            return (try readSecretFile(path, key: fileKey), .keyFile(path))
        }
    }

    /// Refuses a file the till trusts without it being secret (Paymax's public key) when group or
    /// others may write it: whoever can put their own key in it can sign webhooks the till believes.
    func refuseWritableByOthers(_ path: String, key fileKey: String) throws(ConfigError) {
        if let mode = ConfigFiles.permissions(of: path), mode & 0o022 != 0 {
            throw ConfigError(.insecurePermissions, file: path, key: fullKey(fileKey),
                              "\(path) (\(fullKey(fileKey))) can be changed by other users, who could put their own key in it: run chmod go-w \(path)")
        }
    }

    /// A file holding a secret (a key file, a PEM private key): it must exist, be readable only
    /// by its owner, and hold UTF-8 text; trailing newlines are dropped.
    func readSecretFile(_ path: String, key fileKey: String) throws(ConfigError) -> Secret {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw error(.secretUnavailable, key: fileKey, "key file \(path) (\(fullKey(fileKey))) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw error(.unreadable, key: fileKey, "key file \(path) (\(fullKey(fileKey))) is a directory, not a file")
        }
        if let mode = ConfigFiles.permissions(of: path), mode & 0o077 != 0 {
            throw ConfigError(.insecurePermissions, file: path, key: fullKey(fileKey),
                              "\(path) holds a secret (\(fullKey(fileKey))) and is readable by other users: run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw error(.unreadable, key: fileKey, "key file \(path) (\(fullKey(fileKey))) cannot be read as UTF-8 text")
        }
        var key = Substring(text)
        while let last = key.last, last == "\n" || last == "\r\n" || last == "\r" { key.removeLast() }
        guard !key.isEmpty else {
            throw error(.secretUnavailable, key: fileKey, "key file \(path) (\(fullKey(fileKey))) is empty: write the secret in it")
        }
        return Secret(String(key))
    }
}
