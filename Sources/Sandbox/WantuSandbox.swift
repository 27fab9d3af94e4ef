import CheckoutCore
import Foundation
import Logging
import WantuGateway

/// A simulation of Wantu's merchant API (the "paygate"), without HTTP: requests in, signed
/// answers out, orders kept in memory.
///
/// Promises:
/// - Every request is checked as Wantu checks it (JSON object, known accounts, signature,
///   required and well-formed parameters, currency) and refused with Wantu's documented code.
/// - Every answer is a JSON object signed with the account's key, except the deliberate
///   wrong-signature scenario (`..08`), and names the request's order and accounts, except
///   the deliberate mix-ups (`..12` another order, `..13` another store).
/// - Orders stay consistent across pospay, create-qrcode, query, cancel, close, refund and
///   order-list: an order is paid at most once, refunded at most its amount, and a refund
///   number is carried out at most once.
/// - Outcomes are chosen by the amount's cents (`SandboxScenario`) and timed on the injected
///   `CheckoutClock`; nothing here sleeps.
/// - The key and full payment codes never reach the log.
/// - With a state file, orders, refunds and burnt order numbers outlive the process: each
///   change is saved before its answer (or its hang) leaves, and a new sandbox on the same
///   file carries on where the last one stopped (see `WantuSandbox+Persistence.swift`).
///   Trade numbers never repeat within a file and are unlikely to repeat across files. Two
///   sandboxes on one file (two `shroff` processes) each take up the other's saves before
///   their next request; requests arriving at the same instant may still overwrite each other.
public actor WantuSandbox {
    public nonisolated let account: SandboxAccount
    let clock: CheckoutClock
    let wallClock: @Sendable () -> Date
    let logger: Logger
    let dates: WantuDateFormat
    /// Where the state is saved; nil keeps it in memory only.
    let stateFile: String?
    /// Posts payment notifications to each order's `notify_url`; nil sends none.
    let deliveries: SandboxDeliveries?

    // Changes to these mark the state unsaved; `handle` and `payQROrder` then save it.
    var orders: [String: SandboxOrder] = [:] { didSet { unsaved = true } }
    /// trade_id → out_trade_no.
    var tradeIndex: [String: String] = [:]
    /// out_refund_no → out_trade_no.
    var refundIndex: [String: String] = [:]
    /// Order numbers cancelled before any pospay arrived: burnt, as the wallets' reverse leaves them.
    var cancelledUnknown: Set<String> = [] { didSet { unsaved = true } }
    var tradeSequence = 0 { didSet { unsaved = true } }
    var unsaved = false
    /// The version of the state file this sandbox last read or wrote.
    var stateIdentity: SandboxStateFile.Identity?

    /// A sandbox on `clock`. `stateFile`, when given, is loaded now (missing: an empty
    /// sandbox; unreadable or corrupt: moved aside to `<file>.corrupt-<time>` with a warning,
    /// and an empty sandbox) and rewritten atomically, mode 0600, after every change.
    public init(account: SandboxAccount = .training, clock: CheckoutClock,
                wallClock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "shroff.sandbox"),
                stateFile: String? = nil, deliveries: SandboxDeliveries? = nil) {
        self.account = account
        self.deliveries = deliveries
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        let dates = WantuDateFormat(timeZone: account.timeZone)
        self.dates = dates
        self.stateFile = stateFile
        let loaded = stateFile.map { Self.loadState($0, clock: clock, wallClock: wallClock, dates: dates, logger: logger) }
        stateIdentity = loaded?.identity
        if let state = loaded?.state {
            orders = state.orders
            tradeIndex = state.tradeIndex
            refundIndex = state.refundIndex
            cancelledUnknown = state.cancelledUnknown
            tradeSequence = state.tradeSequence
        } else {
            // A fresh sandbox starts its trade numbers at a random point, so that its trades
            // are unlikely to repeat those of an earlier sandbox (another file, or none) that a
            // ledger still remembers: both carry the second they were made in, and only a
            // sequence that meets the same second could repeat one.
            tradeSequence = Int.random(in: 0..<Self.tradeSequenceModulus)
        }
    }

    /// The Wantu endpoints served, as the last component of `/paygate/<name>`.
    public static let endpoints = ["pospay", "create-qrcode", "query", "refund", "cancel", "close",
                                   "order-list", "currency", "merchant-qrcode"]

    /// Handles one POST to `path` ("/paygate/pospay" or "pospay") with its raw body.
    ///
    /// Unknown paths answer 404 with a short text body; every Wantu endpoint answers HTTP 200
    /// with a signed JSON object whose `return_code` says how it went, or `.hang` or `.drop`.
    public func handle(path: String, body: [UInt8]) -> SandboxReply {
        let endpoint = path.hasPrefix("/paygate/") ? String(path.dropFirst("/paygate/".count)) : path
        guard Self.endpoints.contains(endpoint) else {
            return .answer(status: 404, body: Array("no such Wantu endpoint\n".utf8))
        }
        reloadIfChangedElsewhere()
        let request = WantuRequest(body: body)
        let answer: Answer
        do {
            answer = try respond(endpoint, request)
        } catch {
            answer = Answer(error.code, desc: error.desc, fields: error.fields)
        }
        log(endpoint, request, answer)
        // Saved before the answer leaves, and before a hang or a drop: a `..07` payment went through.
        saveIfChanged()
        return answer.unanswered ?? .answer(status: 200, body: render(answer))
    }

    /// A customer pays a QR order, as their phone would after scanning the code.
    ///
    /// True when this call paid it; false when there is no such QR order, or it is already
    /// paid, closed or failed.
    public func payQROrder(_ outTradeNo: String) -> Bool {
        reloadIfChangedElsewhere()
        let now = clock.now()
        guard var order = orders[outTradeNo], order.isQR else { return false }
        order.settle(now: now)
        guard order.status == .notPaid else {
            orders[outTradeNo] = order
            return false
        }
        order.markPaid(at: wallClock())
        orders[outTradeNo] = order
        logger.info("sandbox customer paid QR order", metadata: ["out_trade_no": "\(outTradeNo)"])
        saveIfChanged()
        announce(order)
        return true
    }

    /// What the sandbox holds for `outTradeNo`, with payments that fell due by now applied.
    public func order(_ outTradeNo: String) -> SandboxOrderSnapshot? {
        reloadIfChangedElsewhere()
        guard var order = orders[outTradeNo] else { return nil }
        order.settle(now: clock.now())
        orders[outTradeNo] = order
        return order.snapshot(currency: account.currency, format: dates.string)
    }

    /// Every order's number, oldest first.
    public var orderNumbers: [String] {
        reloadIfChangedElsewhere()
        return orders.values.sorted { $0.createdAt == $1.createdAt ? $0.tradeID < $1.tradeID : $0.createdAt < $1.createdAt }
            .map(\.outTradeNo)
    }

    // MARK: - Dispatch

    private func respond(_ endpoint: String, _ request: WantuRequest) throws(Refusal) -> Answer {
        try checkCommon(request)
        switch endpoint {
        case "pospay": return try pospay(request)
        case "create-qrcode": return try createQRCode(request)
        case "query": return try query(request)
        case "cancel": return try cancel(request)
        case "close": return try close(request)
        case "refund": return try refund(request)
        case "order-list": return try orderList(request)
        case "currency": return try currencyRate(request)
        default: return try merchantQRCode(request)
        }
    }

    /// Applies payments that fell due to every order (for the order-list).
    func settleAll() {
        let now = clock.now()
        for key in orders.keys { orders[key]?.settle(now: now) }
    }

    /// Six digits of sequence in a trade number.
    static let tradeSequenceModulus = 1_000_000

    /// A new trade number like Wantu's: "1000", the store-local time, a six-digit sequence.
    func nextTradeID(at wall: Date) -> String {
        tradeSequence = (tradeSequence + 1) % Self.tradeSequenceModulus
        let sequence = String(tradeSequence)
        return "1000" + dates.compact(wall) + String(repeating: "0", count: 6 - sequence.count) + sequence
    }

    // MARK: - Answers

    private func render(_ answer: Answer) -> [UInt8] {
        var object = answer.fields
        object["return_code"] = .integer(Int64(answer.code.rawValue))
        object["return_msg"] = .string(answer.code.message)
        if let desc = answer.desc { object["return_desc"] = .string(desc) }
        // Sign what a client reads back from the bytes, so both sides sign the same text
        // (a number written as 0.1 is read back as 0.1 whatever it was built from).
        let readBack = WantuWire.decodeObject(Self.encode(object)) ?? object
        let key = answer.badSignature ? account.key + "-rotated" : account.key
        object["sign"] = .string(WantuSignature.sign(WantuWire.signingParameters(readBack), key: key))
        return Self.encode(object)
    }

    static func encode(_ object: [String: WantuJSON]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and lists cannot fail.
        return Array((try? encoder.encode(WantuJSON.object(object))) ?? Data("{}".utf8))
    }

    private func log(_ endpoint: String, _ request: WantuRequest, _ answer: Answer) {
        var metadata: Logger.Metadata = [
            "path": "/paygate/\(endpoint)",
            "return_code": answer.unanswered.map { "none (\($0))" } ?? "\(answer.code.rawValue)",
        ]
        if let number = request.text("out_trade_no") { metadata["out_trade_no"] = "\(number)" }
        if let trade = request.text("trade_id") { metadata["trade_id"] = "\(trade)" }
        if let number = request.text("out_refund_no") { metadata["out_refund_no"] = "\(number)" }
        if let code = request.text("auth_code") { metadata["auth_code"] = "\(PaymentCode.mask(code))" }
        logger.info("wantu sandbox request", metadata: metadata)
    }
}

/// One endpoint's result before it is signed.
struct Answer: Sendable {
    var code: WantuReturnCode
    var desc: String?
    var fields: [String: WantuJSON]
    /// Sign with the wrong key (the `..08` scenario).
    var badSignature = false
    /// Carry the request out but never answer: `.hang` or `.drop`.
    var unanswered: SandboxReply?

    init(_ code: WantuReturnCode = .success, desc: String? = nil, fields: [String: WantuJSON] = [:]) {
        self.code = code
        self.desc = desc
        self.fields = fields
    }

    static var hanging: Answer {
        var answer = Answer()
        answer.unanswered = .hang
        return answer
    }

    static var dropped: Answer {
        var answer = Answer()
        answer.unanswered = .drop
        return answer
    }
}

/// A request refused with one of Wantu's codes; `desc` names the parameter at fault.
struct Refusal: Error {
    var code: WantuReturnCode
    var desc: String
    var fields: [String: WantuJSON] = [:]
    init(_ code: WantuReturnCode, _ desc: String, fields: [String: WantuJSON] = [:]) {
        self.code = code
        self.desc = desc
        self.fields = fields
    }
}
