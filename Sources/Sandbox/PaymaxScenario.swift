/// How the Paymax sandbox treats a charge or a refund, chosen by the cents of its amount, so a
/// trainer or a test picks an outcome by typing an amount (CNY 12.01: paid at once).
public enum PaymaxScenario: Int, Sendable, CaseIterable {
    /// Any cents not listed: a charge waits for the customer (`POST /sandbox/pay/ORDER`); a
    /// refund succeeds at once.
    case normal = 0
    /// `..01`: the customer pays the moment the charge is made.
    case paidAtOnce = 1
    /// `..02`: the charge fails (the customer gave up in the wallet).
    case failed = 2
    /// `..03`: never paid: the customer cannot pay it, and it expires at `time_expire`.
    case neverPaid = 3
    /// `..04`: the charge is made, but its answer is signed with another key.
    case badSignature = 4
    /// `..05`: the charge is made, but its answer carries a timestamp 10 minutes old.
    case staleTimestamp = 5
    /// `..06`: the charge is made, then HTTP 500: a retry meets ORDER_NO_DUPLICATE.
    case serverErrorAfterCharge = 6
    /// `..07` (refund): PROCESSING, SUCCEED `refundSettleDelay` later (by query or webhook).
    case refundProcessingThenSucceeded = 7
    /// `..08` (refund): PROCESSING with an Alipay `extra.refundUrl` the owner must open;
    /// confirmed by `POST /sandbox/pay/<refund id>`.
    case refundNeedsConfirmation = 8
    /// `..09` (refund): carried out, then no answer at all (the connection hangs) once.
    case refundAnswerLost = 9
    /// `..10` (refund): as `..07`, but the charge lists the refund without its `metadata` (so
    /// without our refund number): only its `re_…` id, from the answer, finds it again.
    case refundListedWithoutMetadata = 10
    /// `..11` (refund): as `..10`, and its answer is lost once (the connection hangs): nothing
    /// the till can read says the processing refund on the charge is its own.
    case refundListedWithoutMetadataAnswerLost = 11
    /// `..21`: when the charge is made, a paid charge of Paymax's other mode (livemode true, the
    /// sandbox being test mode) under the same order number is announced; ours waits for the
    /// customer. Its webhook is signed like every other.
    case otherModeChargeAnnounced = 21
    /// `..22`: when the charge is made, another merchant's paid charge reusing our order number
    /// is announced, signed like every other (one platform key); ours waits for the customer.
    /// Asked about, the sandbox does not know it: it is not this merchant's.
    case foreignChargeAnnounced = 22
    /// `..23`: paid at once; once its webhook is acknowledged, the owner refunds 1.00 of it in
    /// Paymax's back office (a refund the till never asked for, no metadata), and its REFUND
    /// webhook follows.
    case refundedInBackOffice = 23
    /// `..24`: an `alipay_web` charge answers with a credential as long as a real one (an
    /// Alipay gateway URL of about 500 characters), too long to draw at 80×24; it waits for the
    /// customer like `..00`.
    case longCredential = 24
    /// `..25`: a `wechat_csb` charge without `extra.open_id` is refused (PARAM_ERROR naming
    /// the field), as by an app of Paymax's that requires it; with one, it waits for the
    /// customer like `..00`.
    case openIDRequired = 25

    public static let refundSettleDelay: Duration = .seconds(5)
    /// What the owner refunds in the back office (`..23`), or the whole charge when it is less.
    public static let backOfficeRefundFen: Int64 = 100

    public init(fen: Int64) {
        self = PaymaxScenario(rawValue: Int(fen % 100)) ?? .normal
    }

    /// Every scenario in one line each, for `shroff sandbox`.
    public static var guide: [String] {
        ["Paymax (CNY; cents of the amount): ..01 paid at once, ..02 failed, ..03 never paid (expires),",
         "  ..04 answer with a bad signature, ..05 answer with a stale timestamp, ..06 HTTP 500 after the charge",
         "  (the retry meets ORDER_NO_DUPLICATE); refunds ..07 processing then succeeded 5 s later,",
         "  ..08 Alipay manual confirmation (POST /sandbox/pay/<refund id>), ..09 answer lost once,",
         "  ..10 as ..07 but listed on the charge without metadata, ..11 as ..10 with its answer lost once; others succeed;",
         "  webhooks not to believe: ..21 a live-mode charge's under the same order number, ..22 another merchant's",
         "  charge reusing the order number; ..23 paid at once, then 1.00 refunded in the back office (a refund the till never asked for);",
         "  ..24 alipay_web answers with a real-length (~500 characters) gateway URL; ..25 wechat_csb refused without extra open_id;",
         "  channels wechat_csb (weixin:// code), alipay_web, lakala_web and lakala_web_fast (an HTML form; extra user_id in digits required)"]
    }
}
