import CheckoutCore
import Foundation
import Owner
import Till
import Words

/// Everything the till's screen shows, as one value: events go in through `handle(_:)`, which
/// returns the work to start, and `render(size:)` draws it. No I/O, no clocks, no ncurses.
///
/// Promises: nothing rendered ever holds a full payment code (only `PaymentCode.masked`), and
/// a typed PIN is shown masked and dropped as soon as it is sent to be checked.
public struct TillState: Sendable {
    /// The shop this till serves, fixed for the session.
    public struct Store: Sendable {
        public var name: String
        public var currency: Currency
        public var timeZone: TimeZone
        public var training: Bool
        /// Label/value rows for the settings screen (`ShroffConfiguration.summary()`).
        public var settings: [(label: String, value: String)]
        /// What the store's gateway offers: the till offers nothing more.
        public var gateway: GatewayOffer

        public init(name: String, currency: Currency, timeZone: TimeZone = .current, training: Bool,
                    settings: [(label: String, value: String)] = [], gateway: GatewayOffer = .everything) {
            self.name = name
            self.currency = currency
            self.timeZone = timeZone
            self.training = training
            self.settings = settings
            self.gateway = gateway
        }
    }

    /// The part of a gateway's capabilities the screen acts on, named for its messages.
    public struct GatewayOffer: Sendable, Equatable {
        public var name: String
        public var scanWallets: [Wallet]
        public var qrWallets: [Wallet]
        public var refunds: Bool
        /// Where a refund is made when the gateway takes none from the till ("refund this order in …").
        public var refundAdvice: String

        public init(name: String, scanWallets: [Wallet], qrWallets: [Wallet], refunds: Bool,
                    refundAdvice: String = "refund this order in the gateway's merchant back office") {
            self.name = name
            self.scanWallets = scanWallets
            self.qrWallets = qrWallets
            self.refunds = refunds
            self.refundAdvice = refundAdvice
        }

        public init(_ gateway: any PaymentGateway) {
            self.init(name: gateway.name, scanWallets: gateway.wallets(for: .scan), qrWallets: gateway.wallets(for: .qr),
                      refunds: gateway.capabilities.contains(.refund), refundAdvice: gateway.refundAdvice)
        }

        /// A gateway that offers every method with both wallets, and refunds.
        public static let everything = GatewayOffer(name: "wantu", scanWallets: Wallet.allCases, qrWallets: Wallet.allCases, refunds: true)
    }

    /// The screen in front of the cashier.
    public enum Screen: Sendable, Equatable {
        case sale, checkout, result, menu, history, refund, report, settings
    }

    public var store: Store
    /// The cashier's language: every word the screen shows comes from here.
    public let words: Words
    /// False when the locale is not UTF-8: frames are then ASCII only.
    public var unicode: Bool
    /// True when the driver draws styles in colour: the QR code's glyphs are then its light
    /// modules, white on black (`QRInk.light`); without colour, its dark ones.
    public var colour: Bool
    public var size: TerminalSize
    public internal(set) var screen: Screen = .sale
    /// The one-line notice above the footer; cleared by the next key.
    public internal(set) var message: Notice?

    /// Monotonic now and wall clock, from the latest tick.
    public internal(set) var now: Duration = .zero
    public internal(set) var wall: Date
    var spinner = 0

    public internal(set) var sale = SaleEntry()
    public internal(set) var checkout: CheckoutView?
    public internal(set) var result: ResultView?
    public internal(set) var history = HistoryView()
    public internal(set) var refund = RefundFlow()
    public internal(set) var report = ReportView()
    public internal(set) var rate: ExchangeRate?
    /// Orders that ended OUTCOME UNKNOWN in this session and are not settled yet.
    public internal(set) var unresolved: [OrderID] = []
    /// A requery is on the wire.
    public internal(set) var requerying: OrderID?
    var settingsTop = 0
    /// Why the scanner's own device cannot be read, shown until it is back (nil: fine, or none configured).
    public internal(set) var scannerProblem: String?
    /// A fingerprint of the last scanned code (never the code) and when it came.
    var lastScan: (fingerprint: Int, at: Duration)?
    /// What the screen was before each digit of the current run of digits, while digits are
    /// drawn at once (`echoesDigits`): a scan that turns out to include them takes them back.
    var beforeDigits: [DigitUndo] = []

    public init(store: Store, words: Words = .english, unicode: Bool = true, colour: Bool = true, size: TerminalSize = .minimum,
                wall: Date = Date()) {
        self.store = store
        self.words = words
        self.unicode = unicode
        self.colour = colour
        self.size = size
        self.wall = wall
    }

    /// The work to start when the till opens.
    public func start() -> [TillCommand] { [.loadRate] }

    /// True while money may be moving: a checkout, a refund or a requery is on the wire.
    public var isBusy: Bool {
        checkout != nil || requerying != nil || refund.step == .sending
    }

    /// How long the same code scanned again is taken as the scanner's echo and ignored.
    static let duplicateScanWindow: Duration = .seconds(5)
}

/// A one-line notice for the cashier; `kind` picks its style, the words carry the meaning.
public struct Notice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, warning, alert }
    public var text: String
    public var kind: Kind
    public init(_ text: String, _ kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// The amount and subject being keyed on the sale screen.
public struct SaleEntry: Sendable, Equatable {
    /// The amount as typed, in major units ("12.3").
    public var amountText = ""
    public var subject = ""
    public var editingSubject = false
}

/// A checkout in flight, as the waiting and QR screens show it.
public struct CheckoutView: Sendable, Equatable {
    public var method: PaymentMethod
    /// Known at once for a QR order or a scanned code.
    public var wallet: Wallet
    public var amount: Money
    public var subject: String
    public var maskedCode: String?
    public var orderID: OrderID?
    public var qrPayload: String?
    /// The QR's half-block rows (margin 2), made once when the payload arrives.
    public var qrRows: [String]?
    public var qrError: String?
    /// True when the credential is an HTML form: only its pay link can be drawn.
    public var qrIsForm = false
    /// The short pay link to the credential (`[notify] public_url`), and its QR's rows, drawn
    /// where the credential's own code does not fit.
    public var payLink: String?
    public var linkRows: [String]?
    /// The latest step, in words.
    public var step: String
    public var queries = 0
    /// Notifications the ledger holds for the order, when the gateway cannot be asked and the
    /// till waits on them alone (CloudPay); nil when it queries.
    public var notifications: Int?
    /// When the command went out, on the monotonic clock.
    public var startedAt: Duration
    /// The runner's latest `.waiting`: elapsed and deadline as it counted them, and when it came.
    public var lastWait: (elapsed: Duration, deadline: Duration, receivedAt: Duration)?
    public var confirmingCancel = false
    public var cancelRequested = false

    public static func == (lhs: CheckoutView, rhs: CheckoutView) -> Bool {
        lhs.method == rhs.method && lhs.wallet == rhs.wallet && lhs.amount == rhs.amount && lhs.orderID == rhs.orderID
            && lhs.step == rhs.step && lhs.queries == rhs.queries && lhs.notifications == rhs.notifications && lhs.qrPayload == rhs.qrPayload
            && lhs.payLink == rhs.payLink
            && lhs.confirmingCancel == rhs.confirmingCancel && lhs.cancelRequested == rhs.cancelRequested
            && lhs.lastWait?.elapsed == rhs.lastWait?.elapsed && lhs.lastWait?.receivedAt == rhs.lastWait?.receivedAt
    }

    /// Time since the checkout started, carried forward from the runner's last count by the ticks.
    func elapsed(now: Duration) -> Duration {
        if let wait = lastWait { return wait.elapsed + max(.zero, now - wait.receivedAt) }
        return max(.zero, now - startedAt)
    }

    /// Time left before the till gives up and cancels, once the runner has said its deadline.
    func timeLeft(now: Duration) -> Duration? {
        guard let wait = lastWait else { return nil }
        return max(.zero, wait.deadline - elapsed(now: now))
    }
}

/// How the last checkout ended.
public struct ResultView: Sendable {
    /// The ledger's order and outcome, or nil when the checkout failed before an outcome.
    public var order: Order?
    public var outcome: CheckoutResult?
    /// Why the checkout could not run, when `outcome` is nil.
    public var failure: TillError?
    /// Whether the receipt was asked for and what the printer said.
    public var receipt: ReceiptStatus = .none
    public var ledgerProblems: [String] = []
}

/// Where a receipt stands, as the result screen tells it.
public enum ReceiptStatus: Sendable, Equatable {
    case none, printing, printed, failed(String)
}

/// Today's orders, as the history screen lists them: the pages read so far, newest first.
/// The ledger pages and searches; the screen asks for the next page as the cashier nears
/// the end of what it holds, so it never holds more than was looked at.
public struct HistoryView: Sendable, Equatable {
    /// Orders asked of the ledger at a time: a screenful or two.
    public static let batch = 40
    public var lines: [OrderLine] = []
    public var loaded = false
    /// The last page read was full: the ledger may have more.
    public var hasMore = false
    /// A next page has been asked for and has not come yet.
    public var loadingMore = false
    public var selected = 0
    public var top = 0
    /// The order-number search being typed, when the cashier pressed `/`.
    public var searchText: String?
    /// The search the list shows.
    public var activeSearch: String?
}

/// The owner's refund, one step at a time.
public struct RefundFlow: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case pin, checkingPIN, pickOrder, amount, reason, confirm, sending, done, failed
    }
    public var step: Step = .pin
    /// The PIN as typed; emptied when it is sent.
    var pin = ""
    public var selected = 0
    public var top = 0
    public var order: OrderLine?
    public var amountText = ""
    public var amount: Money?
    public var reason = ""
    public var report: RefundOutcome?
    public var failure: TillError?

    /// A finished refund, as the result shows it.
    public struct RefundOutcome: Sendable, Equatable {
        public var refundID: RefundID
        public var amount: Money
        public var outcome: RefundReport.Outcome
        public var retriedEarlierRefund: Bool
        public var remaining: Money
        /// The owner's confirmation page of a refund waiting for it, drawn as a QR code.
        public var confirmationQR: [String]?
    }
}

/// The X or Z report on screen.
public struct ReportView: Sendable, Equatable {
    public var kind: DayReport.Kind = .x
    public var confirmingClose = false
    public var loading = false
    public var figures: DayReport?
}
