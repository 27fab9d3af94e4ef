import Foundation

/// The notification receiver (`shroff notify-server`), from `[notify]`.
///
/// `listen` is `HOST:PORT` (default `127.0.0.1:8787`): loopback unless a reverse proxy on
/// another machine forwards to it. `max_concurrent` bounds the notifications handled at once
/// (default 32); the rest are answered 503 and the gateway sends them again. `metrics`
/// (`HOST:PORT`, off when absent) is where `/metrics` is served for Prometheus, apart from the
/// address the gateways reach.
public struct NotifySettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var maximumConcurrent: Int
    /// True when the file has a `[notify]` table: the shop runs `shroff notify-server`. A
    /// gateway that can only notify (CloudPay) is refused at the till without it.
    public var isConfigured: Bool
    /// `public_url`: where customers' browsers reach this server from outside (behind a reverse
    /// proxy), without a trailing slash; nil when not set. Its `/paid` page is Paymax's default
    /// `return_url`.
    public var publicURL: String?
    /// `metrics`: where Prometheus reads `/metrics`; nil when not set.
    public var metrics: Address?

    /// A `HOST:PORT` to listen on.
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public init(host: String = "127.0.0.1", port: Int = 8787, maximumConcurrent: Int = 32, isConfigured: Bool = false,
                publicURL: String? = nil) {
        self.isConfigured = isConfigured
        self.host = host
        self.port = port
        self.maximumConcurrent = maximumConcurrent
        self.publicURL = publicURL
    }

    public static let defaults = NotifySettings()

    /// Reads `HOST:PORT` (an IPv6 host in brackets: `[::1]:8787`); nil when it is not one.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":") else { return nil }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" "), let port = Int(trimmed[trimmed.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        return (host, port)
    }

    init(reading table: ConfigTable) throws(ConfigError) {
        try table.rejectUnknownKeys(ConfigSchema.notify, homes: ConfigSchema.homes)
        var settings = NotifySettings.defaults
        settings.isConfigured = table.line != nil
        if let listen = try table.string("listen") {
            guard let (host, port) = Self.address(listen) else {
                throw table.error(.invalidValue, key: "listen", "notify.listen \"\(listen)\" is not HOST:PORT: write e.g. listen = \"127.0.0.1:8787\"")
            }
            settings.host = host
            settings.port = port
        }
        if let value = table.table["max_concurrent"] {
            guard case .integer(let count) = value else { throw table.wrongType("max_concurrent", expected: "a whole number") }
            guard (1...1024).contains(count) else {
                throw table.error(.invalidValue, key: "max_concurrent", "notify.max_concurrent must be between 1 and 1024")
            }
            settings.maximumConcurrent = Int(count)
        }
        if let written = try table.string("public_url") {
            _ = try table.webURL("public_url", written)
            var trimmed = written
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            settings.publicURL = trimmed
        }
        if let metrics = try table.string("metrics") {
            guard let (host, port) = Self.address(metrics) else {
                throw table.error(.invalidValue, key: "metrics", "notify.metrics \"\(metrics)\" is not HOST:PORT: write e.g. metrics = \"127.0.0.1:9464\"")
            }
            guard (host, port) != (settings.host, settings.port) || port == 0 else {
                throw table.error(.invalidValue, key: "metrics", "notify.metrics is the same address as notify.listen: give Prometheus a port of its own, e.g. metrics = \"127.0.0.1:9464\"")
            }
            settings.metrics = Address(host: host, port: port)
        }
        self = settings
    }
}
