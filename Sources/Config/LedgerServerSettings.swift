import Foundation

/// The `[ledger]` table: the shop's ledger on a PostgreSQL server, shared by every till of the
/// shop. Without it the ledger is the SQLite file `store.ledger`, as before.
///
/// Promises: a user, host and database name are given; no password is written in the url (it
/// comes from `password_env` or `password_file`, or `password` in a file only its owner can
/// read); TLS is off only for a server on this machine.
public struct LedgerServerSettings: Sendable {
    public enum TLS: String, Sendable, CaseIterable {
        case verifyFull = "verify-full"
        case require
        case disable
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// Nil when the server asks for none (trust or peer authentication).
    public var password: Secret?
    public var tls: TLS

    public init(user: String, host: String, port: Int = 5432, database: String, password: Secret?, tls: TLS) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.password = password
        self.tls = tls
    }

    /// "postgresql://shroff@10.0.0.5:5432/shop": the server without its password.
    public var url: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    static let keys = ["url", "password", "password_env", "password_file", "tls"]

    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(Self.keys, homes: ConfigSchema.homes)
        let written = try table.requiredString("url", example: "\"postgresql://shroff@10.0.0.5:5432/shop\"")
        guard let parts = Self.parse(written) else {
            throw table.error(.invalidValue, key: "url",
                              "ledger.url \"\(Self.withoutPassword(written))\" is not a PostgreSQL address: write it as postgresql://USER@HOST:PORT/DATABASE")
        }
        guard !parts.hasPassword else {
            throw table.error(.invalidValue, key: "url",
                              "ledger.url carries a password: remove it from the url and set password_env (the name of an environment variable holding it) or password_file (a file holding it, readable only by you)")
        }
        let given = ["password", "password_env", "password_file"].filter(table.contains)
        let password = given.isEmpty ? nil : try table.secret("password", context: context).0
        let mode = try table.string("tls") ?? TLS.verifyFull.rawValue
        guard let tls = TLS(rawValue: mode) else {
            throw table.error(.invalidValue, key: "tls",
                              "ledger.tls \"\(mode)\" is not one of verify-full, require or disable")
        }
        if tls == .disable && !Self.isLoopback(parts.host) {
            throw table.error(.invalidValue, key: "tls",
                              "ledger.tls is disable, but the server \(parts.host) is another machine: payments would cross the network in plain text; use verify-full (or require)")
        }
        self.init(user: parts.user, host: parts.host, port: parts.port, database: parts.database, password: password, tls: tls)
    }

    /// True for a host that names this machine.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }

    /// The parts of `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (or `postgres://`).
    static func parse(_ url: String) -> (user: String, host: String, port: Int, database: String, hasPassword: Bool)? {
        guard let components = URLComponents(string: url), components.scheme == "postgresql" || components.scheme == "postgres",
              let user = components.user, !user.isEmpty, let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil else { return nil }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else { return nil }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { return nil }
        return (user, host, port, database, components.password != nil)
    }

    /// `url` with any password replaced, fit for a message.
    static func withoutPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "…"
        return components.string ?? "(the url)"
    }
}
