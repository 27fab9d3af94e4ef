import Foundation

/// A barcode payment: charge the code the cashier scanned.
public struct BarcodePayRequest: Sendable {
    public var orderID: OrderID
    public var amount: Money
    public var subject: String
    public var code: PaymentCode
    public init(orderID: OrderID, amount: Money, subject: String, code: PaymentCode) {
        self.orderID = orderID
        self.amount = amount
        self.subject = subject
        self.code = code
    }
}

/// A QR order: the customer scans the till's code with `wallet`.
public struct QRPayRequest: Sendable {
    public var orderID: OrderID
    public var amount: Money
    public var subject: String
    public var wallet: Wallet
    public init(orderID: OrderID, amount: Money, subject: String, wallet: Wallet) {
        self.orderID = orderID
        self.amount = amount
        self.subject = subject
        self.wallet = wallet
    }
}

/// Which order to ask about or act on, with what the ledger knows of it.
public struct OrderReference: Sendable {
    public var orderID: OrderID
    public var wallet: Wallet
    /// The order's amount: a `paid` answer for another amount is not believed.
    public var amount: Money
    public var gatewayTradeID: String?
    public init(orderID: OrderID, wallet: Wallet, amount: Money, gatewayTradeID: String? = nil) {
        self.orderID = orderID
        self.wallet = wallet
        self.amount = amount
        self.gatewayTradeID = gatewayTradeID
    }

    public init(_ order: Order) {
        self.init(orderID: order.id, wallet: order.wallet, amount: order.amount, gatewayTradeID: order.gatewayTradeID)
    }
}

/// A refund of `amount` from a paid order, under a refund number made once.
public struct RefundRequest: Sendable {
    public var order: OrderReference
    public var refundID: RefundID
    public var amount: Money
    public var reason: String
    /// The gateway's own number for this refund, once an answer gave it: a retry asks about
    /// that refund instead of looking for it.
    public var gatewayRefundID: String?
    /// False only for the first attempt under a number just made: nothing under it can have
    /// reached the gateway yet. True (the safe default) whenever an earlier attempt may have.
    public var mayHaveBeenSent: Bool
    /// The gateway's numbers of the order's other refunds in the ledger: none of them is this one.
    public var otherGatewayRefundIDs: Set<String>
    public init(order: OrderReference, refundID: RefundID, amount: Money, reason: String, gatewayRefundID: String? = nil,
                mayHaveBeenSent: Bool = true, otherGatewayRefundIDs: Set<String> = []) {
        self.order = order
        self.refundID = refundID
        self.amount = amount
        self.reason = reason
        self.gatewayRefundID = gatewayRefundID
        self.mayHaveBeenSent = mayHaveBeenSent
        self.otherGatewayRefundIDs = otherGatewayRefundIDs
    }
}

/// One line of a gateway's transaction list.
public struct GatewayTransaction: Sendable, Equatable {
    public enum Kind: String, Sendable { case payment, refund }
    public var kind: Kind
    public var orderID: String
    public var gatewayTradeID: String
    public var refundID: String?
    public var amount: Money
    /// The gateway's timestamp, as it wrote it.
    public var date: String
    public init(kind: Kind, orderID: String, gatewayTradeID: String, refundID: String?, amount: Money, date: String) {
        self.kind = kind
        self.orderID = orderID
        self.gatewayTradeID = gatewayTradeID
        self.refundID = refundID
        self.amount = amount
        self.date = date
    }
}

/// How many CNY one major unit of `currency` buys, as a fixed-point decimal (rate × 10^8).
public struct ExchangeRate: Sendable, Equatable {
    public var currency: Currency
    /// The rate times 100,000,000: 0.87080000 is 87_080_000.
    public var scaledRate: Int64
    public static let scale: Int64 = 100_000_000

    public init(currency: Currency, scaledRate: Int64) {
        self.currency = currency
        self.scaledRate = scaledRate
    }

    /// Reads a decimal rate such as "0.87080000"; nil when it is not a positive decimal with at most 8 decimals.
    public init?(currency: Currency, decimal text: String) {
        let parts = text.trimmingWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000 else { return nil }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 8, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let padded = fraction + String(repeating: "0", count: 8 - fraction.count)
        let scaled = whole * ExchangeRate.scale + (Int64(padded) ?? 0)
        guard scaled > 0 else { return nil }
        self.init(currency: currency, scaledRate: scaled)
    }

    /// The rate as "0.87080000".
    public var decimalString: String {
        let fraction = String(scaledRate % ExchangeRate.scale)
        return "\(scaledRate / ExchangeRate.scale)." + String(repeating: "0", count: 8 - fraction.count) + fraction
    }

    /// `money` in CNY, rounded half up to the fen. Only an indication for the customer.
    public func cnyEquivalent(of money: Money) -> Money? {
        guard money.currency == currency else { return nil }
        let cny = Currency.cny
        // minor(CNY) = minor(cur) * rate * 10^(expCNY - expCur); done in 128-bit to avoid overflow.
        let numerator = Int128(money.minorUnits) * Int128(scaledRate) * Int128(cny.minorPerMajor)
        let denominator = Int128(ExchangeRate.scale) * Int128(currency.minorPerMajor)
        let rounded = (numerator + denominator / 2) / denominator
        return Money(minorUnits: Int64(rounded), currency: cny)
    }
}

/// The errors of calls that answer with data rather than a verdict (transaction list, rate).
public enum GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupported(String)
    /// No clear answer; safe to ask again.
    case noAnswer(String)
    case rejected(GatewayProblem)
    /// The answer could not be read or its signature did not verify.
    case badAnswer(String)

    public var description: String {
        switch self {
        case .unsupported(let what): "This gateway does not offer \(what); nothing was sent."
        case .noAnswer(let why): "The gateway did not answer clearly (\(why)). Try again in a moment."
        case .rejected(let problem): problem.description
        case .badAnswer(let why): "The gateway's answer could not be trusted (\(why)). Try again; if it persists, contact the gateway."
        }
    }
}

/// A payment gateway, as the checkout sees it.
///
/// Rules every gateway keeps (the shared conformance suite checks them):
/// - Only an answer whose signature verified may say `paid` or `refunded`.
/// - Anything unclear — a timeout, a connection error, a server error, an unreadable or badly
///   signed answer — is `inDoubt`, never `declined`.
/// - A retried refund with the same `RefundID` never refunds twice.
/// - Every request that pays, creates a QR order, refunds, cancels or closes tells the transport
///   it changes money, so that it leaves once per attempt; reads say they are idempotent.
/// - Amounts cross the gateway's edge here, in its own format; inside they are `Money`.
/// - Nothing secret (keys, full payment codes) appears in a verdict, an error or a log.
///
/// Calls outside `capabilities` answer `rejected(.unsupported)` or throw `.unsupported`.
public protocol PaymentGateway: Sendable {
    /// The name used in configuration and the ledger ("wantu").
    var name: String { get }
    /// The gateway's name as its merchants write it, for the cashier ("CloudPay"); `name` by default.
    var displayName: String { get }
    var capabilities: GatewayCapabilities { get }

    func pay(_ request: BarcodePayRequest) async -> PaymentVerdict
    func createQR(_ request: QRPayRequest) async -> QRCreation
    func query(_ order: OrderReference) async -> PaymentVerdict
    func cancel(_ order: OrderReference) async -> CancelVerdict
    func close(_ order: OrderReference) async -> CancelVerdict
    func refund(_ request: RefundRequest) async -> RefundVerdict
    func transactions(from start: Date, to end: Date) async throws(GatewayError) -> [GatewayTransaction]
    func exchangeRate(for currency: Currency) async throws(GatewayError) -> ExchangeRate
    /// The store's fixed QR code for `wallet`: the customer scans it and types the amount.
    func storeQRCode(wallet: Wallet) async throws(GatewayError) -> String
    /// Reads and verifies a notification posted to the till's receiver (signature compared in
    /// constant time). Never throws: anything it cannot believe is `forged` or `malformed`.
    func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict
    /// How a payment notification is tied to our order; `.orderNumber` by default.
    var notificationBinding: NotificationBinding { get }
    /// Asks the gateway about its own trade `gatewayTradeID`, for a notification the ledger cannot
    /// bind by itself. Only a verified answer may say `found`; it must name the trade asked about.
    func lookUp(trade gatewayTradeID: String) async -> TradeLookup
    /// Exactly the reply the gateway expects, so that it stops resending (`handled`) or tries
    /// again later (not handled).
    func notificationReply(handled: Bool, reason: String?) -> NotificationReply
    /// The wallets a payment method is offered with; empty when the method is not supported.
    func wallets(for method: PaymentMethod) -> [Wallet]
    /// Where a refund is made when this gateway takes none from the till, in the words the till
    /// and the command line refuse with ("refund this order in …").
    var refundAdvice: String { get }
    /// How many characters the till's order numbers for this gateway have (`OrderID.generate`):
    /// `OrderID.standardLength` unless the gateway's document asks for another length.
    var orderNumberLength: Int { get }
}

extension PaymentGateway {
    public var displayName: String { name }
    public func pay(_ request: BarcodePayRequest) async -> PaymentVerdict { .rejected(.unsupported) }
    public func createQR(_ request: QRPayRequest) async -> QRCreation { .failed(.rejected(.unsupported)) }
    public func query(_ order: OrderReference) async -> PaymentVerdict { .rejected(.unsupported) }
    public func cancel(_ order: OrderReference) async -> CancelVerdict { .rejected(.unsupported) }
    public func close(_ order: OrderReference) async -> CancelVerdict { .rejected(.unsupported) }
    public func refund(_ request: RefundRequest) async -> RefundVerdict { .rejected(.unsupported) }
    public func transactions(from start: Date, to end: Date) async throws(GatewayError) -> [GatewayTransaction] {
        throw .unsupported("a transaction list")
    }
    public func exchangeRate(for currency: Currency) async throws(GatewayError) -> ExchangeRate {
        throw .unsupported("exchange rates")
    }
    public func storeQRCode(wallet: Wallet) async throws(GatewayError) -> String {
        throw .unsupported("a fixed store QR code")
    }
    public func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        .malformed("this gateway sends no notifications")
    }
    public var notificationBinding: NotificationBinding { .orderNumber }
    public func lookUp(trade gatewayTradeID: String) async -> TradeLookup {
        .inDoubt("\(displayName) cannot be asked about a trade by its number")
    }
    public func notificationReply(handled: Bool, reason: String?) -> NotificationReply {
        NotificationReply(status: handled ? 200 : 400, contentType: "text/plain; charset=utf-8",
                          body: Array((handled ? "SUCCESS" : "FAIL").utf8))
    }
    public var refundAdvice: String { "refund this order in the \(name) gateway's merchant back office" }
    public var orderNumberLength: Int { OrderID.standardLength }
    public func wallets(for method: PaymentMethod) -> [Wallet] {
        switch method {
        case .scan: capabilities.contains(.barcodePay) ? Wallet.allCases : []
        case .qr: capabilities.contains(.qrPay) ? Wallet.allCases : []
        }
    }
}
