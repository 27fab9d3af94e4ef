import Foundation

extension ConfigTable {
    /// Hosts that are this machine: plain http to them is a local sandbox, not a leak.
    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// A gateway's base URL: https, or http to a loopback host; no user or password; no trailing slash.
    func gatewayBaseURL(_ key: String, default fallback: String, sandbox: String) throws(ConfigError) -> String {
        guard let written = try string(key) else { return fallback }
        let url = try webURL(key, written)
        if url.scheme?.lowercased() == "http", !ConfigTable.loopbackHosts.contains(url.host?.lowercased() ?? "") {
            throw error(.invalidValue, key: key,
                        "\(fullKey(key)) uses plain http to a host that is not this machine: use https (production \(fallback), sandbox \(sandbox)); http is allowed only for 127.0.0.1, localhost or [::1]")
        }
        var trimmed = written
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// A gateway's base URL that every merchant gets for itself (no default): https, or http to
    /// a loopback host, or — only when `plainHTTPAllowed` (the table's `allow_plain_http = true`,
    /// for gateways whose own addresses are plain http) — http to any host. No user or password;
    /// no trailing slash.
    func requiredGatewayBaseURL(_ key: String, example: String, plainHTTPAllowed: Bool) throws(ConfigError) -> String {
        let written = try requiredString(key, example: "\"\(example)\"")
        let url = try webURL(key, written)
        if url.scheme?.lowercased() == "http", !plainHTTPAllowed, !ConfigTable.loopbackHosts.contains(url.host?.lowercased() ?? "") {
            throw error(.invalidValue, key: key,
                        "\(fullKey(key)) uses plain http to a host that is not this machine: use https, or, if the gateway offers only http, add allow_plain_http = true to \(displayName) (answers and callbacks can then be forged on the way)")
        }
        var trimmed = written
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// An http or https URL with a host and no credentials.
    func webURL(_ key: String, _ written: String) throws(ConfigError) -> URL {
        guard let url = URL(string: written), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw error(.invalidValue, key: key, "\(fullKey(key)) is not an http or https URL with a host, such as https://shop.example.com/notify")
        }
        guard url.user == nil, url.password == nil else {
            throw error(.invalidValue, key: key, "\(fullKey(key)) must not contain a user name or password: remove the part before '@'")
        }
        return url
    }
}
