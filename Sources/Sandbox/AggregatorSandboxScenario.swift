/// How the aggregator's simulator treats a QR order, chosen by the cents of its amount (fen),
/// so a trainer or a test picks an outcome by typing an amount: CNY 12.10 is paid 10 s later.
public enum AggregatorSandboxScenario: Int64, Sendable, CaseIterable {
    /// Any cents not listed below: waits for the customer (`POST /sandbox/pay/<order_no>`).
    case waitsForCustomer = -1
    /// `..10`: the customer pays 10 s after the order is made.
    case paidSoon = 10
    /// `..12`: the payment fails (pay_status 0) 5 s after the order is made.
    case failsSoon = 12
    /// `..13`: never paid; even `/sandbox/pay` is refused (the customer walks away).
    case neverPaid = 13
    /// `..14`: every check_order answers HTTP 500; paid 10 s later, only the callback says so.
    case checkOrderServerError = 14
    /// `..15`: the unified order answers HTTP 500 and creates nothing.
    case unifiedServerError = 15
    /// `..16`: paid 10 s later; the callback's signature is wrong (check_order tells the truth).
    case badlySignedCallback = 16
    /// `..17`: paid 10 s later, but one yuan less than the order (`actual_amount`, and the
    /// `amount` check_order reports).
    case paidLess = 17
    /// `..18`: paid 10 s later; amounts written as integer fen ("60018") rather than the seed's ".00" form ("60018.00").
    case integerAmounts = 18
    /// `..19`: the seed's other reading of pay_status 0. Every other order says -1 (支付中)
    /// while unpaid, as the seed's table does; this one says 0 while unpaid, in the unified
    /// order's answer and in check_order, as the seed's check_order example does. Waits for the
    /// customer, who can still pay it.
    case zeroWhileUnpaid = 19
    /// `..20`: paid 10 s later; the callback is a JSON object, as the seed's callback example
    /// writes it (`pay_status` a number), rather than the form its text describes.
    case jsonCallback = 20

    /// How long after the order a scheduled outcome happens.
    public static let paymentDelay: Duration = .seconds(10)
    public static let failureDelay: Duration = .seconds(5)

    public init(amountFen: Int64) {
        self = AggregatorSandboxScenario(rawValue: amountFen % 100) ?? .waitsForCustomer
    }

    /// When the order settles by itself, after its creation; nil when it waits for the customer or forever.
    var settlesAfter: Duration? {
        switch self {
        case .waitsForCustomer, .neverPaid, .unifiedServerError, .zeroWhileUnpaid: nil
        case .failsSoon: Self.failureDelay
        case .paidSoon, .checkOrderServerError, .badlySignedCallback, .paidLess, .integerAmounts, .jsonCallback: Self.paymentDelay
        }
    }

    /// One line for people, for `shroff sandbox`.
    public var summary: String {
        switch self {
        case .waitsForCustomer: "any other cents: waits for POST /sandbox/pay/<order_no>"
        case .paidSoon: "..10 paid by the customer 10 s later"
        case .failsSoon: "..12 the payment fails (pay_status 0) 5 s later"
        case .neverPaid: "..13 never paid, not even by /sandbox/pay"
        case .checkOrderServerError: "..14 check_order answers HTTP 500; paid 10 s later, told by the callback only"
        case .unifiedServerError: "..15 the unified order answers HTTP 500"
        case .badlySignedCallback: "..16 paid 10 s later; the callback has a wrong signature"
        case .paidLess: "..17 paid 10 s later, one yuan short (actual_amount below amount)"
        case .integerAmounts: "..18 paid 10 s later; amounts as integer fen instead of the seed's .00 form"
        case .zeroWhileUnpaid: "..19 pay_status 0 (not -1) while unpaid, as in the seed's check_order example; waits for POST /sandbox/pay/<order_no>"
        case .jsonCallback: "..20 paid 10 s later; the callback is JSON, as in the seed's callback example"
        }
    }

    /// Every scenario's summary, the default last.
    public static var guide: [String] {
        allCases.filter { $0 != .waitsForCustomer }.map(\.summary) + [waitsForCustomer.summary]
    }
}
