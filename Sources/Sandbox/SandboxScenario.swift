/// How the sandbox treats a barcode payment (pospay), chosen by the last two digits of its
/// amount in minor units (the cents of `total_fee`), so a trainer or a test picks an outcome by
/// typing an amount: HKD 12.04 is a customer who confirms on the phone after 8 s.
public enum SandboxScenario: Int, Sendable, CaseIterable {
    /// Any cents not listed below: paid at once.
    case paid = 0
    /// `..01`: 502 NOT_ENOUGH, nothing taken.
    case declinedNotEnough = 1
    /// `..02`: 505 AUTH_CODE_INVALID, nothing taken.
    case declinedCodeInvalid = 2
    /// `..03`: 507 AUTH_CODE_EXPIRED, nothing taken.
    case declinedCodeExpired = 3
    /// `..04`: 506 USER_PAYING; the customer confirms 8 s after the pospay.
    case userPayingThenPaid = 4
    /// `..05`: 506 USER_PAYING; the customer never confirms, a cancel succeeds.
    case userPayingNeverPaid = 5
    /// `..06`: 500 SYSTEM_ERROR, yet the payment went through.
    case systemErrorButPaid = 6
    /// `..07`: no answer at all (the connection hangs), yet the payment went through.
    case noAnswerButPaid = 7
    /// `..08`: SUCCESS with a wrong signature; the payment went through, queries are signed well.
    case badSignatureButPaid = 8
    /// `..09`: 506 USER_PAYING forever, and every cancel or close is refused with USER_PAYING.
    case userPayingForever = 9
    /// `..12`: a well-signed SUCCESS that names another order number than the one paid (an
    /// answer mixed up at the gateway); the payment went through, queries answer truly.
    case answerNamesAnotherOrder = 12
    /// `..13`: a well-signed SUCCESS that names another store account than the till's; the
    /// payment went through, queries answer truly.
    case answerNamesAnotherStore = 13
    /// `..14`: 506 USER_PAYING; the customer confirms 8 s later, and the notification names
    /// only the trade (`trade_id`, no `out_trade_no`), as the seed's own §2.6 example does.
    case userPayingNotifiedByTrade = 14
    /// `..15`: the payment went through, then the connection closes without an answer.
    case droppedButPaid = 15

    /// Seconds after the pospay at which a `userPayingThenPaid` customer confirms.
    public static let confirmDelay: Duration = .seconds(8)
    /// Cents that make a QR order pay itself (`..10`), and after how long.
    public static let selfPayingQRCents: Int64 = 10
    public static let selfPayingQRDelay: Duration = .seconds(10)
    /// Cents that make every query of a QR order fail with SYSTEM_ERROR (`..11`): only the
    /// notification can tell the till it was paid.
    public static let queryFailingQRCents: Int64 = 11
    /// Cents whose notification names only the trade, without `out_trade_no` (`..14`), for a
    /// QR order as for a scanned one.
    public static let notifiedByTradeCents: Int64 = 14
    /// Refund cents whose first request is carried out but never answered (`..07`).
    public static let hangingRefundCents: Int64 = 7

    /// The scenario of a pospay for `totalFee` minor units.
    public init(totalFee: Int64) {
        self = SandboxScenario(rawValue: Int(totalFee % 100)) ?? .paid
    }

    /// One line for people: what typing an amount with these cents does. For `shroff sandbox`.
    public var summary: String {
        switch self {
        case .paid: "any other cents: paid at once"
        case .declinedNotEnough: "..01 pospay declined, NOT_ENOUGH (502)"
        case .declinedCodeInvalid: "..02 pospay declined, AUTH_CODE_INVALID (505)"
        case .declinedCodeExpired: "..03 pospay declined, AUTH_CODE_EXPIRED (507)"
        case .userPayingThenPaid: "..04 USER_PAYING, paid 8 s later"
        case .userPayingNeverPaid: "..05 USER_PAYING, never paid; cancel succeeds"
        case .systemErrorButPaid: "..06 SYSTEM_ERROR (500), but paid"
        case .noAnswerButPaid: "..07 no answer (hangs), but paid; refunds of ..07 hang once"
        case .badSignatureButPaid: "..08 SUCCESS with a wrong signature, but paid"
        case .userPayingForever: "..09 USER_PAYING forever, cancel refused"
        case .answerNamesAnotherOrder: "..12 SUCCESS naming another order number, but paid"
        case .answerNamesAnotherStore: "..13 SUCCESS naming another store account, but paid"
        case .userPayingNotifiedByTrade: "..14 USER_PAYING, paid 8 s later; the notification names only trade_id"
        case .droppedButPaid: "..15 paid, but the connection closes unanswered"
        }
    }

    /// Every scenario's summary, listed cents first, then the QR rule.
    public static var guide: [String] {
        allCases.filter { $0 != .paid }.map(\.summary)
            + [paid.summary, "QR orders ..10: paid by the customer 10 s after creation; others wait for POST /sandbox/pay/<out_trade_no>",
               "QR orders ..11: every query answers SYSTEM_ERROR; only the notification says paid",
               "QR orders ..14: the notification names only trade_id, without out_trade_no"]
    }

    /// True when the pospay leaves an order the customer has paid, whatever the answer said.
    var paysAtOnce: Bool {
        switch self {
        case .paid, .systemErrorButPaid, .noAnswerButPaid, .badSignatureButPaid, .droppedButPaid, .answerNamesAnotherOrder, .answerNamesAnotherStore: true
        default: false
        }
    }
}
