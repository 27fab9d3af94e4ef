import CheckoutCore
import Foundation
import Words

/// Where a configuration came from.
public enum ConfigSource: Sendable, Equatable {
    /// Read from this file (found through `--config`, `$SHROFF_CONFIG` or the XDG default).
    case file(String)
    /// No configuration file exists: training mode, against an in-process sandbox, with its own ledger.
    case training
}

/// Everything Shroff needs to know before it opens the till, validated.
///
/// A value of this type is always usable: currency and time zone are known, timeouts are within
/// the limits the wallets impose, the base URL is safe, and the gateway key was found. In training
/// mode `wantu` is nil until the caller starts the sandbox and fills it in.
public struct ShroffConfiguration: Sendable {
    public var store: StoreSettings
    public var checkout: CheckoutSettings
    /// Each configured gateway's settings, by provider name; empty in training mode, where the
    /// simulators supply them.
    public var providers: [String: any ProviderSettings]
    public var source: ConfigSource
    /// Where receipts are written or printed.
    public var receipts: ReceiptSettings
    /// Where `shroff notify-server` listens.
    public var notify: NotifySettings
    /// The scanner's own device, from `[scanner]`; nil: the keyboard-wedge scanner, by timing.
    public var scanner: ScannerSettings?
    /// The shop's ledger server, from `[ledger]`; nil: the SQLite file `store.ledgerPath`.
    public var ledgerServer: LedgerServerSettings?

    public var isTraining: Bool { source == .training }

    public init(store: StoreSettings, checkout: CheckoutSettings, providers: [any ProviderSettings], source: ConfigSource,
                receipts: ReceiptSettings? = nil, notify: NotifySettings = .defaults, scanner: ScannerSettings? = nil) {
        self.receipts = receipts ?? .beside(ledger: store.ledgerPath)
        self.notify = notify
        self.scanner = scanner
        self.store = store
        self.checkout = checkout
        self.providers = Dictionary(providers.map { (type(of: $0).providerName, $0) }, uniquingKeysWith: { _, last in last })
        self.source = source
    }

    public init(store: StoreSettings, checkout: CheckoutSettings, wantu: WantuSettings?, source: ConfigSource,
                receipts: ReceiptSettings? = nil, notify: NotifySettings = .defaults) {
        self.init(store: store, checkout: checkout, providers: wantu.map { [$0] } ?? [], source: source,
                  receipts: receipts, notify: notify)
    }

    /// The settings of provider `P`, when its table is in the file.
    public func provider<P: ProviderSettings>(_ type: P.Type) -> P? { providers[P.providerName] as? P }

    /// The Paymax gateway's settings; nil in training mode or when `[providers.paymax]` is absent.
    public var paymax: PaymaxSettings? { provider(PaymaxSettings.self) }

    /// The Wantu gateway's settings; nil in training mode or when `[providers.wantu]` is absent.
    public var wantu: WantuSettings? {
        get { provider(WantuSettings.self) }
        set { providers[WantuSettings.providerName] = newValue }
    }

    /// CloudPay's settings; nil in training mode or when `[providers.cloudpay]` is absent.
    public var cloudPay: CloudPaySettings? { provider(CloudPaySettings.self) }

    /// The aggregator's settings; nil in training mode or when `[providers.aggregator]` is absent.
    public var aggregator: AggregatorSettings? {
        get { provider(AggregatorSettings.self) }
        set { providers[AggregatorSettings.providerName] = newValue }
    }

    /// What every start must say to the owner, gateway by gateway (plain http allowed…).
    public var warnings: [String] {
        providers.keys.sorted().flatMap { providers[$0]?.warnings ?? [] }
    }
}

/// The shop: its name on receipts, the currency it charges in, its local time, its ledger file,
/// and the language its till speaks.
public struct StoreSettings: Sendable {
    public var name: String
    public var currency: Currency
    /// Used to decide which day a payment belongs to and to print local times.
    public var timeZone: TimeZone
    /// Absolute path of the SQLite ledger; the training ledger is always a different file.
    public var ledgerPath: String
    /// `language`: the till's language whatever the locale says; nil: the locale decides.
    public var language: Language?
    /// The store's name in a ledger shared by a chain's stores (`[store] id`, default `name`).
    public var id: String
    /// This till's name, unique in its store (`[store] till`); required with a `[ledger]` server.
    public var till: String?

    public init(name: String, currency: Currency, timeZone: TimeZone, ledgerPath: String, language: Language? = nil,
                id: String? = nil, till: String? = nil) {
        self.name = name
        self.currency = currency
        self.timeZone = timeZone
        self.ledgerPath = ledgerPath
        self.language = language
        self.id = id ?? name
        self.till = till
    }
}

/// How the checkout talks to the gateway: which provider, and how long it polls and waits.
///
/// Promises `1 s ≤ pollInterval < payTimeout ≤ 60 s` and positive QR and request timeouts.
public struct CheckoutSettings: Sendable, Equatable {
    /// The `[providers.NAME]` table in use ("wantu").
    public var provider: String
    /// Time between two order queries while a payment is pending.
    public var pollInterval: Duration
    /// How long a quick-pay (customer's code scanned) order may stay unpaid before it is cancelled.
    public var payTimeout: Duration
    /// How long a QR order waits for the customer to scan and pay.
    public var qrTimeout: Duration
    /// The limit for one request to the gateway.
    public var requestTimeout: Duration

    public init(provider: String, pollInterval: Duration, payTimeout: Duration, qrTimeout: Duration, requestTimeout: Duration) {
        self.provider = provider
        self.pollInterval = pollInterval
        self.payTimeout = payTimeout
        self.qrTimeout = qrTimeout
        self.requestTimeout = requestTimeout
    }

    /// The values used when `[checkout]` leaves a key out.
    public static let defaults = CheckoutSettings(
        provider: "wantu", pollInterval: .seconds(5), payTimeout: .seconds(45),
        qrTimeout: .seconds(180), requestTimeout: .seconds(15))

    /// WeChat Pay revokes an unpaid quick-pay order after about 45 s; waiting longer than this
    /// keeps a customer at the counter for an order that can no longer succeed.
    public static let longestPayTimeout: Duration = .seconds(60)
    /// Polling faster than this only loads the gateway.
    public static let shortestPollInterval: Duration = .seconds(1)
}
