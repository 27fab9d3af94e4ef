import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Logging
import WantuGateway

/// The merchant the aggregator's simulator serves: its `appid` and MD5 secret.
public struct AggregatorSandboxAccount: Sendable {
    public var appID: String
    /// Never logged, never part of an answer.
    public var secret: String

    public init(appID: String, secret: String) {
        self.appID = appID
        self.secret = secret
    }

    /// The published training credentials: not secrets, as the sandbox moves no money.
    public static let training = AggregatorSandboxAccount(appID: TrainingCredentials.aggregatorAppID,
                                                                 secret: TrainingCredentials.aggregatorSecret)
}

/// A simulation of the unified-order aggregator (seed: aggregator-api.md), served by the
/// sandbox host under `/aggregator/`.
///
/// Promises:
/// - Requests are checked as the seed describes them (a form POST for the unified order, a GET
///   for check_order; known appid; the request signature; every required parameter; `amount`
///   integer fen; `order_no` exactly 20 letters and digits, the strict reading of the seed's
///   "字符长度20"; a QR bank code) and refused with `status` "0" and a message naming what is wrong.
/// - Answers are JSON in the seed's shape, unsigned as the seed's are; amounts are written in
///   the seed's ".00" form, or as integer fen in the `..18` scenario. An unpaid order says
///   `pay_status` -1, or 0 in the `..19` scenario (the seed's two readings).
/// - A paid or failed order is announced by a callback signed by the callback rule (empty
///   values kept): a form, or JSON in the `..20` scenario, posted to the order's `notify_url`
///   until the answer is exactly `SUCCESS`.
/// - Outcomes are chosen by the amount's cents (`AggregatorSandboxScenario`) and timed on the
///   injected clock; nothing here sleeps for real.
/// - With a state file, orders outlive the process: each change is saved before its answer
///   leaves, atomically and readable by its owner only. One process per file (unlike Wantu's
///   simulator, it does not take up another process's saves).
public actor AggregatorSandbox {
    public nonisolated let account: AggregatorSandboxAccount
    let clock: CheckoutClock
    let wallClock: @Sendable () -> Date
    let logger: Logger
    let deliveries: SandboxDeliveries?
    let stateFile: String?
    let dates = WantuDateFormat(timeZone: TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!)
    // Changes mark the state unsaved; each entry point saves it before answering.
    var orders: [String: AggregatorSandboxOrder] = [:] { didSet { unsaved = true } }
    var sequence = Int.random(in: 0..<1_000_000)
    var unsaved = false

    public init(account: AggregatorSandboxAccount = .training, clock: CheckoutClock, wallClock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "shroff.sandbox"), stateFile: String? = nil, deliveries: SandboxDeliveries? = nil) {
        self.account = account
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        self.deliveries = deliveries
        self.stateFile = stateFile
        if let stateFile, let state = Self.loadState(stateFile, clock: clock, wallClock: wallClock,
                                                     stamp: dates.compact(wallClock()), logger: logger) {
            orders = Dictionary(state.orders.map { ($0.orderNo, $0) }, uniquingKeysWith: { _, last in last })
            sequence = state.sequence
        }
    }

    /// The endpoints served, after `/aggregator/`, with their method.
    static let endpoints = ["api/order/unified": "POST", "api/order/check_order": "GET"]

    /// Handles one request to an endpoint in `endpoints`.
    public func handle(_ request: SimulatedRequest) -> SandboxReply {
        let reply: SandboxReply
        var order = "-"
        do {
            switch request.endpoint {
            case "api/order/unified":
                let form = try Self.form(request.body, contentType: request.headers.first { $0.name.lowercased() == "content-type" }?.value)
                order = form["order_no"] ?? "-"
                reply = try unified(form)
            default:
                let form = try Self.form(Array(request.query.utf8), contentType: nil)
                order = form["order_no"] ?? "-"
                reply = try checkOrder(form)
            }
        } catch {
            reply = Self.json(["status": "0", "message": error.message, "data": [String]()])
        }
        if case .answer(let status, _, _, _) = reply {
            logger.info("aggregator sandbox request", metadata: ["path": "/aggregator/\(request.endpoint)", "order_no": "\(order)", "http": "\(status)"])
        }
        saveIfChanged()
        return reply
    }

    /// A customer pays the QR order `orderNo`, as their phone would; false when there is no
    /// such order, it is no longer waiting, or its scenario never pays.
    public func customerPays(_ orderNo: String) -> Bool {
        defer { saveIfChanged() }
        guard var order = orders[orderNo] else { return false }
        _ = order.settle(now: clock.now())
        guard order.status == .paying, order.scenario != .neverPaid else {
            orders[orderNo] = order
            return false
        }
        order.pay(at: wallClock())
        orders[orderNo] = order
        logger.info("aggregator sandbox: customer paid", metadata: ["order_no": "\(orderNo)"])
        announce(order)
        return true
    }

    /// The order's pay_status (-1, 0, 1) as check_order would write it, with outcomes that fell
    /// due applied; nil when unknown.
    public func payStatus(_ orderNo: String) -> Int? {
        defer { saveIfChanged() }
        guard var order = orders[orderNo] else { return nil }
        if order.settle(now: clock.now()) { orders[orderNo] = order }
        return order.payStatus
    }

    /// How many check_order requests named the order.
    public func checkOrderCalls(_ orderNo: String) -> Int { orders[orderNo]?.checkOrderCalls ?? 0 }

    // MARK: - Endpoints

    private func unified(_ form: [String: String]) throws(AggregatorRefusal) -> SandboxReply {
        let values = try Self.require(form, "appid", "order_no", "amount", "product_name", "bank_code", "notify_url", "return_url", "sign")
        try checkSignature(form)
        let (orderNo, amountText, bankCode) = (values[1], values[2], values[4])
        guard orderNo.count == 20, orderNo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw AggregatorRefusal("order_no must be 20 letters and digits (字符长度20)")
        }
        guard amountText.count <= 12, amountText.allSatisfy({ $0.isASCII && $0.isNumber }), let amount = Int64(amountText), amount > 0 else {
            throw AggregatorRefusal("amount must be a positive whole number of fen")
        }
        guard bankCode == "911" || bankCode == "912" else {
            throw AggregatorRefusal("bank_code \(bankCode) is not a QR payment here (911 Alipay, 912 WeChat Pay)")
        }
        for (key, url) in [("notify_url", values[5]), ("return_url", values[6])] where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw AggregatorRefusal("\(key) must be an http or https URL")
        }
        guard orders[orderNo] == nil else { throw AggregatorRefusal("order_no \(orderNo) was used before") }
        if AggregatorSandboxScenario(amountFen: amount) == .unifiedServerError {
            return Self.serverError
        }
        sequence = (sequence + 1) % 1_000_000
        let wall = wallClock()
        let order = AggregatorSandboxOrder(
            orderNo: orderNo, platformOrderNo: "A" + dates.compact(wall) + String(format: "%06d", sequence), amountFen: amount,
            bankCode: bankCode, attach: form["attach"] ?? "", status: .paying, createdWall: wall, createdAt: clock.now(),
            notifyURL: values[5])
        orders[orderNo] = order
        announceWhenSettled(order)
        let payload = bankCode == "912" ? WantuSandbox.qrPayload(channel: 1) : WantuSandbox.qrPayload(channel: 2)
        return Self.json(["status": "1", "message": "下单成功", "data": [
            "order_no": orderNo, "platform_order_no": order.platformOrderNo, "pay_status": order.payStatus, "bank_code": bankCode,
            "amount": String(amount), "redirect_url": payload,
        ] as [String: Any]])
    }

    private func checkOrder(_ form: [String: String]) throws(AggregatorRefusal) -> SandboxReply {
        let values = try Self.require(form, "appid", "order_no", "sign")
        try checkSignature(form)
        guard var order = orders[values[1]] else { throw AggregatorRefusal("order \(values[1]) does not exist") }
        _ = order.settle(now: clock.now())
        order.checkOrderCalls += 1
        orders[order.orderNo] = order
        if order.scenario == .checkOrderServerError {
            return Self.serverError
        }
        // The seed's example: pay_time null until paid; the amount paid once paid.
        let data: [String: Any] = [
            "order_no": order.orderNo, "amount": order.written(order.actualFen ?? order.amountFen), "attach": order.attach,
            "pay_status": order.payStatus, "platform_order_no": order.platformOrderNo, "bank_code": order.bankCode,
            "created_at": dates.string(order.createdWall), "pay_time": order.payWall.map(dates.string) ?? NSNull(),
        ]
        return Self.json(["status": "1", "message": "查询成功", "data": data])
    }

    private func checkSignature(_ form: [String: String]) throws(AggregatorRefusal) {
        guard form["appid"] == account.appID else { throw AggregatorRefusal("unknown appid") }
        guard AggregatorSignature.verify(form, secret: account.secret, form: .request) else {
            throw AggregatorRefusal("签名错误: sign does not match the parameters")
        }
    }

    // MARK: - Wire

    static func form(_ bytes: [UInt8], contentType: String?) throws(AggregatorRefusal) -> [String: String] {
        if let contentType, !contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            throw AggregatorRefusal("Content-Type must be application/x-www-form-urlencoded")
        }
        guard let form = FormEncoding.decode(bytes) else { throw AggregatorRefusal("the parameters are not a form, or name a field twice") }
        return form
    }

    static func require(_ form: [String: String], _ names: String...) throws(AggregatorRefusal) -> [String] {
        var values: [String] = []
        for name in names {
            guard let value = form[name], !value.isEmpty else { throw AggregatorRefusal("missing parameter \(name)") }
            values.append(value)
        }
        return values
    }

    /// The HTTP 500 of the `..14` and `..15` scenarios: an error page, as a PHP server gives.
    static let serverError = SandboxReply.answer(status: 500, body: Array("<html><body>500 Internal Server Error</body></html>".utf8),
                                                 contentType: "text/html")

    static func json(_ object: [String: Any]) -> SandboxReply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .answer(status: 200, body: Array(data))
    }
}

/// A request the simulated aggregator refuses with status "0" and this message.
struct AggregatorRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension AggregatorSandbox: SimulatedGateway {
    public nonisolated var name: String { "aggregator" }
    public nonisolated var pathPrefix: String { "/aggregator/" }
    public nonisolated func methods(for endpoint: String) -> [String] {
        Self.endpoints[endpoint].map { [$0] } ?? []
    }
}
