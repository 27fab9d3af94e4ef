import CheckoutCore
import CloudPayGateway
import Foundation
import Logging

/// A simulation of CloudPay's payment API (seed: cloudpay-api.md), without HTTP: requests
/// in, answers out, orders kept in memory.
///
/// Promises:
/// - Every payment request is checked as the document says (a form, the appkey, the signature
///   in CloudPay's order, the parameters, the price with exactly two decimals, the wallet) and
///   refused with CloudPay's documented code.
/// - A paid order is announced by a signed form posted to the back office's callback URL
///   (`<notifyServer>/notify/cloudpay` of its `SandboxDeliveries`), retried until the answer
///   is exactly `success`; the `..25` scenario signs it with another secret.
/// - Outcomes are chosen by the price's cents (`CloudPayScenario`) and timed on the injected
///   clock; nothing here sleeps.
/// - Orders live in memory only: CloudPay has no query or refund, so nothing asks for them later.
/// - The secret never reaches the log.
public actor CloudPaySandbox {
    /// The public training credentials: what `[providers.cloudpay]` is given to reach the sandbox.
    public static let trainingAppKey = TrainingCredentials.cloudPayAppKey
    public static let trainingAppSecret = TrainingCredentials.cloudPayAppSecret

    public nonisolated let appKey: String
    let appSecret: String
    let clock: CheckoutClock
    let wallClock: @Sendable () -> Date
    let logger: Logger
    /// Posts notifications to the back office's callback URL; nil sends none.
    let deliveries: SandboxDeliveries?
    var orders: [String: CloudPaySandboxOrder] = [:]
    var sequence = Int.random(in: 10_000..<90_000)

    public init(appKey: String = trainingAppKey, appSecret: String = trainingAppSecret, clock: CheckoutClock,
                wallClock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "shroff.sandbox.cloudpay"),
                deliveries: SandboxDeliveries? = nil) {
        self.appKey = appKey
        self.appSecret = appSecret
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        self.deliveries = deliveries
    }

    /// Where the back office sends notifications: the till's notify server.
    nonisolated var callbackURL: String? {
        deliveries.map { $0.notifyServer + "/notify/cloudpay" }
    }

    /// A customer pays the order numbered `outOrderID`, as their phone would on the pay page.
    /// True when this call paid it.
    public func payOrder(_ outOrderID: String) -> Bool {
        guard var order = orders[outOrderID] else { return false }
        settle(&order)
        guard !order.paid else { return false }
        order.paidWall = wallClock()
        orders[outOrderID] = order
        logger.info("cloudpay sandbox: customer paid", metadata: ["out_order_id": "\(outOrderID)"])
        announce(order)
        return true
    }

    /// What the sandbox holds for `outOrderID`, with a payment that fell due applied.
    public func order(_ outOrderID: String) -> CloudPaySandboxOrder? {
        guard var order = orders[outOrderID] else { return nil }
        settle(&order)
        orders[outOrderID] = order
        return order
    }

    /// Applies a self-paying order's payment once it is due.
    func settle(_ order: inout CloudPaySandboxOrder) {
        guard !order.paid, let due = order.paysAt, due <= clock.now() else { return }
        order.paidWall = order.createdWall.addingTimeInterval((due - order.createdAt).timeInterval)
        order.paysAt = nil
    }
}

/// One order as the simulated CloudPay keeps it.
public struct CloudPaySandboxOrder: Sendable, Equatable {
    public var outOrderID: String
    /// CloudPay's own number (`order_id`), an integer.
    public var orderID: Int
    public var priceFen: Int64
    public var type: String
    public var custom: String
    public var scenario: CloudPayScenario
    var createdWall: Date
    var createdAt: Duration
    /// When it pays itself, if it will and has not yet.
    var paysAt: Duration?
    public var paidWall: Date?

    public var paid: Bool { paidWall != nil }
    /// What the customer really pays: 0.01 less than the price in the `..26` scenario, half
    /// of it in the `..28` one.
    public var realPriceFen: Int64 {
        switch scenario {
        case .realPriceLower: priceFen - 1
        case .underpaid: priceFen / 2
        case .waitsForTheCustomer, .paidAfterAFewSeconds, .failed, .serverError, .quotaExceeded, .badlySignedCallback, .noCallbackURL: priceFen
        }
    }
}

extension CloudPaySandbox: SimulatedGateway {
    public nonisolated var name: String { "cloudpay" }
    /// Reached as `{$domain}/api/cloudpay/create` with `base_url = "http://HOST:PORT/cloudpay"`.
    public nonisolated var pathPrefix: String { "/cloudpay/" }

    public nonisolated func methods(for endpoint: String) -> [String] {
        endpoint == "api/cloudpay/create" ? ["POST"] : []
    }

    public func handle(_ request: SimulatedRequest) async -> SandboxReply {
        let host = request.headers.first { $0.name.lowercased() == "host" }?.value ?? "127.0.0.1"
        return create(body: request.body, host: host)
    }

    public func customerPays(_ order: String) async -> Bool {
        payOrder(order)
    }
}
