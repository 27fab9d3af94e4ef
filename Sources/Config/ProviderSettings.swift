import CheckoutCore

/// The settings of one payment gateway, read from its `[providers.NAME]` table.
///
/// Adding a gateway (say `[providers.paymax]`) takes one struct conforming to this and
/// `ProviderTableReading`, and one entry in `ConfigSchema.providers`; the loader, the
/// configuration and its summary take it from there.
public protocol ProviderSettings: Sendable {
    /// The NAME in `[providers.NAME]` and in `checkout.provider`.
    static var providerName: String { get }
    /// Label/value rows for `shroff info` and the settings screen: where secrets come from,
    /// never the secrets.
    var summary: [(String, String)] { get }
    /// What the owner must hear at every start (a gateway reached over plain http); none by default.
    var warnings: [String] { get }
}

extension ProviderSettings {
    public var warnings: [String] { [] }
}

/// How the loader reads a provider's table (kept inside this module with the TOML types).
protocol ProviderTableReading: ProviderSettings {
    /// Every key the table accepts; any other is refused with a suggestion.
    static var keys: [String] { get }
    /// The keys to add when `checkout.provider` names this gateway but its table is missing.
    static var requiredHint: String { get }
    /// Reads and validates the table, or explains what is wrong.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError)
    /// The only store currency the gateway charges in, when it has one (the aggregator: CNY).
    static var onlyCurrency: Currency? { get }
    /// Where the gateway is reached: on this machine, the simulators' training credentials are allowed.
    var baseURL: String { get }
    /// Who issues the table's credentials ("Wantu"), for the message that refuses training ones.
    static var issuer: String { get }
    /// The table's credentials beside the simulators' published values (`TrainingCredentials`).
    var publishedCredentials: [PublishedCredential] { get }
}

extension ProviderTableReading {
    static var onlyCurrency: Currency? { nil }
}

/// What a reader needs to know besides the table: where the file is, how it is protected,
/// and the environment to resolve `key_env` and `~` from.
struct ConfigContext {
    let file: String
    /// The directory relative paths (`ledger`, `key_file`) are taken from.
    let directory: String
    /// The file's permission bits, to refuse secrets in a file others can read.
    let fileMode: Int
    let paths: ConfigPaths
    /// `[notify]`, read before the providers: a gateway's default pages live on the notify server.
    var notify: NotifySettings = .defaults
    /// `[checkout] qr_timeout_s`, read before the providers: no gateway's QR order may outlive it.
    var qrTimeout: Duration = CheckoutSettings.defaults.qrTimeout
}

/// The tables and keys Shroff's configuration accepts.
enum ConfigSchema {
    static let providers: [any ProviderTableReading.Type] = [WantuSettings.self, PaymaxSettings.self, AggregatorSettings.self, CloudPaySettings.self]
    static var providerNames: [String] { providers.map { $0.providerName } }

    static let tables = ["store", "checkout", "providers", "receipts", "notify", "scanner", "ledger"]
    static let store = ["name", "currency", "timezone", "ledger", "language", "id", "till"]
    static let receipts = ["directory", "printer", "encoding"]
    static let notify = ["listen", "max_concurrent", "public_url", "metrics"]
    static let scanner = ["device", "protocol", "grab"]
    static let checkout = ["provider", "poll_interval_s", "pay_timeout_s", "qr_timeout_s", "request_timeout_s"]

    /// Which table each known key belongs in, to point at the right place when a key is misplaced.
    static var homes: [String: String] {
        var homes: [String: String] = [:]
        for key in store { homes[key] = "[store]" }
        for key in checkout { homes[key] = "[checkout]" }
        for key in receipts { homes[key] = "[receipts]" }
        for key in notify { homes[key] = "[notify]" }
        for key in LedgerServerSettings.keys where homes[key] == nil { homes[key] = "[ledger]" }
        for key in scanner where homes[key] == nil { homes[key] = "[scanner]" }
        for provider in providers {
            for key in provider.keys where homes[key] == nil { homes[key] = "[providers.\(provider.providerName)]" }
        }
        return homes
    }
}
