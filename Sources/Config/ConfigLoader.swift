import CheckoutCore
import Foundation

/// Finds, reads and validates Shroff's configuration file.
///
/// Search order: `explicitPath` (the `--config` option), then `$SHROFF_CONFIG`, then
/// `$XDG_CONFIG_HOME/shroff/config.toml` (or `~/.config/shroff/config.toml`). A path given by
/// `--config` or `$SHROFF_CONFIG` must exist. When neither is given and the default file does
/// not exist, Shroff runs in training mode; so it does, with the file's store, when the file
/// chooses a `[checkout] provider` it gives no `[providers.NAME]` table for. Relative paths inside the file (`ledger`,
/// `key_file`) are taken from the file's directory; a leading `~` means `$HOME`.
public enum ConfigLoader {
    public static func load(explicitPath: String?, environment: [String: String]) throws(ConfigError) -> ShroffConfiguration {
        let paths = ConfigPaths(environment: environment)
        if let explicitPath {
            return try load(file: explicitPath, givenBy: "--config", paths: paths)
        }
        if let fromEnvironment = environment["SHROFF_CONFIG"], !fromEnvironment.isEmpty {
            return try load(file: fromEnvironment, givenBy: "$SHROFF_CONFIG", paths: paths)
        }
        guard let defaultFile = paths.defaultConfigFile else {
            throw ConfigError(.noHomeDirectory,
                              "cannot look for the configuration: neither $HOME nor $XDG_CONFIG_HOME is set; pass --config FILE or set $SHROFF_CONFIG")
        }
        if ConfigFiles.entry(at: defaultFile) == .missing { return try training(paths: paths) }
        return try load(file: defaultFile, givenBy: nil, paths: paths)
    }

    /// The configuration used when no file exists: a training store against the in-process sandbox.
    static func training(paths: ConfigPaths) throws(ConfigError) -> ShroffConfiguration {
        guard let ledger = paths.trainingLedger else {
            throw ConfigError(.noHomeDirectory,
                              "cannot place the training ledger: neither $HOME nor $XDG_DATA_HOME is set; set one, or pass --config FILE")
        }
        guard let timeZone = TimeZone(identifier: "Asia/Hong_Kong") else {
            throw ConfigError(.invalidValue, "this system has no time zone data for Asia/Hong_Kong: install tzdata")
        }
        let store = StoreSettings(name: "Training store", currency: .hkd, timeZone: timeZone, ledgerPath: ledger)
        return ShroffConfiguration(store: store, checkout: .defaults, providers: [], source: .training)
    }

    private static func load(file written: String, givenBy: String?, paths: ConfigPaths) throws(ConfigError) -> ShroffConfiguration {
        guard let expanded = paths.expandingTilde(written) else {
            throw ConfigError(.noHomeDirectory, "the configuration path \(written) starts with ~ but $HOME is not set")
        }
        // Absolute, so messages and the settings screen name the file whatever the working directory.
        let file = URL(fileURLWithPath: expanded).standardizedFileURL.path
        switch ConfigFiles.entry(at: file) {
        case .missing:
            let origin = givenBy.map { " (given by \($0))" } ?? ""
            throw ConfigError(.fileNotFound, file: file, "configuration file \(file)\(origin) does not exist: check the path (without it Shroff looks in $XDG_CONFIG_HOME/shroff or ~/.config/shroff)")
        case .directory:
            throw ConfigError(.unreadable, file: file, "\(file) is a directory: give the path of the configuration file itself")
        case .file:
            break
        }
        guard let text = ConfigFiles.text(at: file), let mode = ConfigFiles.permissions(of: file) else {
            throw ConfigError(.unreadable, file: file, "cannot read \(file) as UTF-8 text: check its permissions and encoding")
        }
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text, path: file)
        } catch {
            throw ConfigError(error)
        }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let context = ConfigContext(file: file, directory: directory, fileMode: mode, paths: paths)
        return try configuration(from: document, context: context)
    }

    static func configuration(from document: TOMLTable, context: ConfigContext) throws(ConfigError) -> ShroffConfiguration {
        let root = ConfigTable(file: context.file, path: [], table: document, line: nil)
        try root.rejectUnknownKeys(ConfigSchema.tables, homes: ConfigSchema.homes)
        let notify = try NotifySettings(reading: root.subtable("notify"))
        var context = context
        context.notify = notify

        let store = try StoreSettings(reading: root.subtable("store"), context: context)
        let checkout = try CheckoutSettings(reading: root.subtable("checkout"))
        context.qrTimeout = checkout.qrTimeout

        let providers = try root.subtable("providers")
        try providers.rejectUnknownKeys(ConfigSchema.providerNames, what: "provider table",
                                        listing: "supported providers are " + ConfigSchema.providerNames.joined(separator: ", "))
        var configured: [any ProviderSettings] = []
        for provider in ConfigSchema.providers where providers.contains(provider.providerName) {
            if let only = provider.onlyCurrency, store.currency != only {
                throw ConfigError(.invalidValue, file: context.file, key: "store.currency",
                                  "\(context.file) configures [providers.\(provider.providerName)], which takes \(only.code) only, but store.currency is \(store.currency.code): set currency = \"\(only.code)\" in [store] or remove [providers.\(provider.providerName)]")
            }
            let table = try providers.subtable(provider.providerName)
            let settings = try provider.init(reading: table, context: context)
            try table.refuseTrainingCredentials(of: settings)
            configured.append(settings)
        }
        if !configured.contains(where: { type(of: $0).providerName == checkout.provider }),
           let chosen = ConfigSchema.providers.first(where: { $0.providerName == checkout.provider }) {
            // A file that chooses a gateway itself but gives no table for it is trying that
            // gateway: training against its simulator, on the training ledger, never the shop's.
            if try root.subtable("checkout").contains("provider"), let trainingLedger = context.paths.trainingLedger {
                var store = store
                store.ledgerPath = trainingLedger
                return ShroffConfiguration(store: store, checkout: checkout, providers: [], source: .training)
            }
            throw ConfigError(.missingKey, file: context.file, key: "providers.\(checkout.provider)",
                              "\(context.file) has no [providers.\(checkout.provider)] table, and checkout.provider is \"\(checkout.provider)\": add [providers.\(checkout.provider)] with \(chosen.requiredHint)")
        }
        let receipts = try ReceiptSettings(reading: root.subtable("receipts"), ledger: store.ledgerPath, context: context)
        let scanner = try ScannerSettings.reading(root.subtable("scanner"), context: context)
        var configuration = ShroffConfiguration(store: store, checkout: checkout, providers: configured, source: .file(context.file),
                                                receipts: receipts, notify: notify, scanner: scanner)
        if root.contains("ledger") {
            configuration.ledgerServer = try LedgerServerSettings(reading: root.subtable("ledger"), context: context)
            guard store.till != nil else {
                throw ConfigError(.missingKey, file: context.file, key: "store.till",
                                  "\(context.file) keeps the ledger on a server ([ledger]), which every till of the shop shares: name this till with till = \"counter-1\" in [store], a name no other till of the store uses")
            }
        }
        return configuration
    }
}
