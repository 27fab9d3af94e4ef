/// How the CloudPay simulator treats a payment request, chosen by the cents of its `price`,
/// so a trainer or a test picks an outcome by typing an amount: CNY 12.28 is a customer who
/// pays after a few seconds, but only half the price.
public enum CloudPayScenario: Int, Sendable, CaseIterable {
    /// Any cents not listed below: the order waits for `POST /sandbox/pay/<out_order_id>`
    /// (the customer scanning and paying); without it, it is never paid.
    case waitsForTheCustomer = 0
    /// `..10`: the customer pays `payDelay` after the order is created.
    case paidAfterAFewSeconds = 10
    /// `..21`: refused with 199 (unknown error): no order, nothing to pay.
    case failed = 21
    /// `..23`: HTTP 500 with an error page; no order.
    case serverError = 23
    /// `..24`: refused with 110 (the plan's quota is used up).
    case quotaExceeded = 24
    /// `..25`: paid after `payDelay`, but every notification is signed with another secret.
    case badlySignedCallback = 25
    /// `..26`: paid after `payDelay`, the customer paying 0.01 less than the price (`realprice`):
    /// a price shift within the default `max_price_adjustment`.
    case realPriceLower = 26
    /// `..27`: refused with 108 (the back office has no callback URL).
    case noCallbackURL = 27
    /// `..28`: paid after `payDelay`, but `realprice` is half the price (rounded down to the
    /// fen): an underpayment.
    case underpaid = 28

    /// How long after creation a self-paying order is paid.
    public static let payDelay: Duration = .seconds(3)

    /// The scenario of a price of `fen` minor units.
    public init(fen: Int64) {
        self = CloudPayScenario(rawValue: Int(fen % 100)) ?? .waitsForTheCustomer
    }

    /// True when the customer pays by themselves, `payDelay` after creation.
    var paysItself: Bool {
        self == .paidAfterAFewSeconds || self == .badlySignedCallback || self == .realPriceLower || self == .underpaid
    }

    /// One line for people, for `shroff sandbox`.
    public var summary: String {
        switch self {
        case .waitsForTheCustomer: "any other cents: waits for POST /sandbox/pay/<out_order_id>, else never paid"
        case .paidAfterAFewSeconds: "..10 paid by the customer 3 s after creation"
        case .failed: "..21 refused, 199 unknown error"
        case .serverError: "..23 HTTP 500"
        case .quotaExceeded: "..24 refused, 110 quota exceeded"
        case .badlySignedCallback: "..25 paid after 3 s, but the callback's signature is wrong"
        case .realPriceLower: "..26 paid after 3 s, realprice 0.01 below price (a price shift: paid)"
        case .noCallbackURL: "..27 refused, 108 no callback URL in the back office"
        case .underpaid: "..28 paid after 3 s, realprice half the price (underpaid: not paid, flagged)"
        }
    }

    /// Every scenario's summary, the default last.
    public static var guide: [String] {
        allCases.filter { $0 != .waitsForTheCustomer }.map(\.summary) + [waitsForTheCustomer.summary]
    }
}
