import CheckoutCore
import Foundation
import Ledger
import Logging
import Synchronization

/// Runs checkouts: builds the order, writes it down, then performs what the `Checkout` state
/// machine asks — requests to the gateway, waits on the injected clock, ledger writes — and
/// feeds the answers back until the machine finishes.
///
/// The runner holds no payment state of its own; the machine decides and the ledger remembers.
public final class CheckoutRunner: Sendable {
    /// The gateway new orders are made with (`[checkout] provider`).
    public let gateway: any PaymentGateway
    /// Every configured gateway by name: an order always goes back to the one it was made with.
    let gateways: [String: any PaymentGateway]
    public let ledger: any Ledger
    public let policy: CheckoutPolicy
    let clock: CheckoutClock
    let wallClock: @Sendable () -> Date
    let timeZone: TimeZone
    let logger: Logger
    /// How often a waiting checkout looks in the ledger for a notification another process (or
    /// this one's receiver) applied, while the ledger does not announce them (`Ledger.news(of:)`).
    /// Real time, not the checkout's clock: the look is cheap, and a stepped test clock must not
    /// be moved by it.
    let watchInterval: Duration
    let watchClock: CheckoutClock
    /// Where the waiting checkout's looks at the ledger run: off the cooperative pool.
    let watchQueue = LedgerQueue(label: "shroff.till.watch")
    /// Free bytes the ledger's disk must have before a sale starts.
    let roomForASale: UInt64
    /// Orders a checkout of this runner is driving now: the ledger's owner is the process, so
    /// this keeps two tasks of one process (the start-up sweep and a requery) off one order.
    let driving = Mutex<Set<OrderID>>([])
    /// Refunds a task of this runner is sending now, for the same reason (the sweep and the
    /// cashier's refund of the same order).
    let sendingRefunds = Mutex<Set<RefundID>>([])
    /// Short links to QR credentials, when the shop has a public address for its notify server.
    let payLinks: PayLinkIssuer?

    public init(gateway: any PaymentGateway, others: [any PaymentGateway] = [], ledger: any Ledger, policy: CheckoutPolicy,
                timeZone: TimeZone, clock: CheckoutClock = .continuous, wallClock: @escaping @Sendable () -> Date = Date.init,
                watchInterval: Duration = .milliseconds(100), watchClock: CheckoutClock = .continuous,
                roomForASale: UInt64 = LedgerRoom.forASale, payLinks: PayLinkIssuer? = nil,
                logger: Logger = Logger(label: "shroff.till")) {
        self.roomForASale = roomForASale
        self.payLinks = payLinks
        self.gateway = gateway
        var gateways: [String: any PaymentGateway] = [:]
        for other in others { gateways[other.name] = other }
        gateways[gateway.name] = gateway
        self.gateways = gateways
        self.watchInterval = watchInterval
        self.watchClock = watchClock
        self.ledger = ledger
        self.policy = policy
        self.timeZone = timeZone
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Charges a scanned payment code. The order is in the ledger before the request leaves;
    /// if it cannot be written, nothing is sent and `TillError.notRecorded` is thrown.
    public func payByCode(_ amount: Money, code: PaymentCode, subject: String, control: CheckoutControl = CheckoutControl(),
                          progress: @escaping @Sendable (CheckoutProgress) -> Void = { _ in }) async throws(TillError) -> CheckoutReport {
        guard !gateway.wallets(for: .scan).isEmpty else { throw .unsupported(gateway: gateway.name, what: "payment by scanned code") }
        guard gateway.wallets(for: .scan).contains(code.wallet) else {
            throw .unsupported(gateway: gateway.name, what: "\(code.wallet.displayName) payment codes")
        }
        do { try ledger.checkRoomForASale(minimum: roomForASale) } catch { throw .notRecorded(error) }
        let order = newOrder(.scan, wallet: code.wallet, amount: amount, subject: subject, maskedCode: code.masked)
        let request = BarcodePayRequest(orderID: order.id, amount: amount, subject: subject, code: code)
        return try await drive(order, first: .start, isNew: true, payRequest: request, control: control, progress: progress)
    }

    /// Creates a QR order for `wallet` and waits for the customer to pay it; `progress` receives
    /// `.showQR(payload)` to draw, after `.payLink(url)` when the runner gives out pay links.
    public func payByQR(_ amount: Money, wallet: Wallet, subject: String, control: CheckoutControl = CheckoutControl(),
                        progress: @escaping @Sendable (CheckoutProgress) -> Void = { _ in }) async throws(TillError) -> CheckoutReport {
        guard gateway.wallets(for: .qr).contains(wallet) else {
            throw .unsupported(gateway: gateway.name, what: "QR payments with \(wallet.displayName)")
        }
        do { try ledger.checkRoomForASale(minimum: roomForASale) } catch { throw .notRecorded(error) }
        let order = newOrder(.qr, wallet: wallet, amount: amount, subject: subject, maskedCode: nil)
        return try await drive(order, first: .start, isNew: true, payRequest: nil, control: control, progress: progress)
    }

    /// Settles an order left `pending` or `unknown`: asks the gateway where it stands, keeps
    /// asking until its deadline (counted from when the order was created), then cancels or closes it.
    public func resume(_ order: Order, control: CheckoutControl = CheckoutControl(),
                       progress: @escaping @Sendable (CheckoutProgress) -> Void = { _ in }) async throws(TillError) -> CheckoutReport {
        guard !order.status.isFinal else { throw .notApplicable(.alreadySettled(order.id, order.status)) }
        return try await drive(order, first: .resume, isNew: false, payRequest: nil, control: control, progress: progress)
    }

    /// Every order a crash or a power cut left pending, or that ended unknown, settled one by
    /// one. Orders another live process is running are left to it; so are orders of a gateway
    /// this till is not configured for (they stay open, for the owner to see).
    ///
    /// `promptly` is for a new sale waiting behind the sweep: each order is asked about once and,
    /// unless that answer is final, cancelled or closed at once rather than waited out to its
    /// deadline. The till that showed it has ended, so nobody is watching it, and the customer
    /// may be about to pay again.
    public func resolveOpenOrders(promptly: Bool = false,
                                  progress: @escaping @Sendable (Order, CheckoutProgress) -> Void = { _, _ in }) async throws(TillError) -> [CheckoutReport] {
        let open: [Order]
        do { open = try ledger.orders(withStatus: [.pending, .unknown]) } catch { throw .ledger(error) }
        var reports: [CheckoutReport] = []
        for order in open.sorted(by: { $0.createdAt < $1.createdAt }) where !ledger.isInProgressElsewhere(order) {
            logger.info("settling an open order", metadata: ["order": "\(order.id)", "status": "\(order.status.rawValue)"])
            do {
                let control = CheckoutControl()
                if promptly { control.requestCancel(leftOver: true) }
                reports.append(try await resume(order, control: control, progress: { progress(order, $0) }))
            } catch .inProgressElsewhere, .providerNotConfigured, .notApplicable {
                continue  // another's, another gateway's, or settled since it was listed
            }
        }
        return reports
    }

    /// The gateway that holds `order`: the one it was made with.
    func gateway(for order: Order) throws(TillError) -> any PaymentGateway {
        guard let gateway = gateways[order.provider] else { throw .providerNotConfigured(order.id, provider: order.provider) }
        return gateway
    }

    func newOrder(_ method: PaymentMethod, wallet: Wallet, amount: Money, subject: String, maskedCode: String?) -> Order {
        let now = wallClock()
        var generator = SystemRandomNumberGenerator()
        let id = OrderID.generate(localTimestamp: OrderStamp.format(now, in: timeZone), length: gateway.orderNumberLength,
                                  using: &generator)
        return Order(id: id, provider: gateway.name, method: method, wallet: wallet, amount: amount,
                     subject: subject, maskedCode: maskedCode, createdAt: now)
    }
}

/// The time part of an order number: "yyMMddHHmmss" in the store's time zone.
enum OrderStamp {
    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return [(c.year ?? 0) % 100, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0]
            .map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
    }
}
