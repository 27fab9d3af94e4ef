import CheckoutCore
import Foundation
import Words

extension StoreSettings {
    /// Reads `[store]`: name, currency and timezone are required; ledger defaults to
    /// `$XDG_DATA_HOME/shroff/ledger.sqlite` and may never be the training ledger; language,
    /// when given, names a catalog ("en", "zh-Hant", "zh-Hans"); id defaults to the name; till
    /// names this till in a shared ledger.
    init(reading table: ConfigTable, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(ConfigSchema.store, homes: ConfigSchema.homes)

        let name = try table.requiredString("name", example: "\"Lucky Tea House\"")

        let code = try table.requiredString("currency", example: "\"HKD\"")
        guard let currency = Currency(code: code) else {
            throw table.error(.invalidValue, key: "currency",
                              "store.currency \"\(code)\" is not a currency Shroff knows: use an ISO 4217 code such as HKD, CNY or MOP")
        }

        let zone = try table.requiredString("timezone", example: "\"Asia/Hong_Kong\"")
        guard let timeZone = TimeZone(identifier: zone) else {
            throw table.error(.invalidValue, key: "timezone",
                              "store.timezone \"\(zone)\" is not a time zone: use an IANA name such as Asia/Hong_Kong")
        }

        let ledgerPath: String
        if let written = try table.string("ledger") {
            guard !written.isEmpty else {
                throw table.error(.invalidValue, key: "ledger", "store.ledger is empty: give the path of the ledger file, or remove the key to use the default")
            }
            guard let resolved = context.paths.resolve(written, relativeTo: context.directory) else {
                throw table.error(.noHomeDirectory, key: "ledger", "store.ledger starts with ~ but $HOME is not set")
            }
            if let training = context.paths.trainingLedger,
               resolved == URL(fileURLWithPath: training).standardizedFileURL.path {
                throw table.error(.invalidValue, key: "ledger",
                                  "store.ledger is the training ledger (\(training)): real payments must never be mixed with training ones; choose another file")
            }
            ledgerPath = resolved
        } else {
            guard let fallback = context.paths.defaultLedger else {
                throw ConfigError(.noHomeDirectory, file: context.file, key: "store.ledger",
                                  "cannot place the ledger: neither $HOME nor $XDG_DATA_HOME is set; set store.ledger in \(context.file)")
            }
            ledgerPath = fallback
        }
        var language: Language?
        if let code = try table.string("language") {
            guard let known = Language(code: code) else {
                let codes = Language.all.map { "\"\($0.code)\"" }.joined(separator: ", ")
                throw table.error(.invalidValue, key: "language",
                                  "store.language \"\(code)\" is not a language Shroff speaks: use one of \(codes), or remove the key to follow the locale")
            }
            language = known
        }
        let id = try table.string("id") ?? name
        guard !id.isEmpty else {
            throw table.error(.invalidValue, key: "id", "store.id is empty: name the store as the shared ledger should know it, or remove the key to use store.name")
        }
        let till = try table.string("till")
        if let till, till.isEmpty || till.contains("#") {
            throw table.error(.invalidValue, key: "till", "store.till \"\(till)\" cannot name a till: use letters, digits and dashes, such as \"counter-1\"")
        }
        self.init(name: name, currency: currency, timeZone: timeZone, ledgerPath: ledgerPath, language: language, id: id, till: till)
    }
}
