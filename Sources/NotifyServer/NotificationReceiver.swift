import CheckoutCore
import Foundation
import Ledger
import Logging

/// What the receiver does with one notification, without HTTP: verify it through its gateway,
/// check it against the order, apply it to the ledger, and choose the gateway's reply.
///
/// Promises:
/// - Nothing reaches the ledger unless the gateway's `verifyNotification` believed it and the
///   ledger found the order made with that gateway, for that amount and currency.
/// - A payment binds to our order: under `.recordedTrade`, a `paid` for another trade than the
///   one recorded is ignored, and one for an order with no trade recorded is applied only after
///   the gateway's verified answer to our own `lookUp(trade:)` names this order. A notification
///   naming only a trade is applied to the order recorded with it, or to the one the gateway
///   names when asked. What can never apply is acknowledged (`ignored`); what cannot be
///   confirmed now is answered so that the gateway sends it again (`failed`).
/// - Applying is one ledger transaction; a duplicate changes nothing and is acknowledged again.
/// - A refund notification binds the same way: under `.recordedTrade` it must be of the trade
///   recorded for its order (another trade's is ignored); it settles a refund of ours only when
///   it names it, and one that names none of ours is recorded as a refund made elsewhere,
///   flagged for a person (see `Ledger.applyRefundNotification`).
/// - A paid notification for an order already closed, or one whose money fell short of the
///   price (underpaid), is kept as "needs attention", and acknowledged (the gateway need not
///   resend: it is recorded).
/// - One log line per notification: gateway, order, outcome. Never a key or a payment code
///   (the gateway's verdict carries neither; the body goes to the ledger masked, not the log).
public struct NotificationReceiver: Sendable {
    /// The gateways served, by the name in their route (`/notify/<name>`).
    public let gateways: [String: any PaymentGateway]
    public let ledger: any Ledger
    /// Where every ledger call runs: never on the cooperative pool that serves the requests.
    let ledgerQueue = LedgerQueue(label: "shroff.notify.ledger")
    /// What `/metrics` reports on the server's metrics listener.
    public let metrics = NotifyMetrics()
    let wallClock: @Sendable () -> Date
    let logger: Logger

    public init(gateways: [any PaymentGateway], ledger: any Ledger, wallClock: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "shroff.notify")) {
        var byName: [String: any PaymentGateway] = [:]
        for gateway in gateways where gateway.capabilities.contains(.notifications) { byName[gateway.name] = gateway }
        self.gateways = byName
        self.ledger = ledger
        self.wallClock = wallClock
        self.logger = logger
    }

    /// How one notification ended, for the log and the tests.
    public enum Outcome: Sendable, Equatable {
        case applied(NotificationOutcome)
        case refused(String)
        case malformed(String)
        case forged(String)
        /// Correctly signed but never this till's (another merchant's trade under our order
        /// number, another account's mode): nothing changed, and the gateway is told it was
        /// handled so that it stops resending.
        case ignored(String)
        /// The ledger could not be written, or the gateway could not confirm the trade now: the
        /// gateway should try again later.
        case failed(String)
    }

    /// How far back the ledger is searched for a notification that names only a trade; an older
    /// one is found by asking the gateway.
    static let tradeLookBack: TimeInterval = 90 * 24 * 3600

    /// Handles a notification posted to `/notify/<provider>`; nil when no such gateway is served.
    public func receive(_ notification: IncomingNotification, provider: String) async -> (NotificationReply, Outcome)? {
        guard let gateway = gateways[provider] else { return nil }
        let outcome = await handle(notification, gateway: gateway)
        let reply: NotificationReply
        switch outcome {
        case .applied, .ignored: reply = gateway.notificationReply(handled: true, reason: nil)
        case .refused(let why): reply = gateway.notificationReply(handled: false, reason: why)
        case .malformed(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 400)
        case .forged(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 403)
        case .failed(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 503)
        }
        return (reply, outcome)
    }

    private func handle(_ notification: IncomingNotification, gateway: any PaymentGateway) async -> Outcome {
        let body = String(decoding: notification.body, as: UTF8.self)
        let metadata: Logger.Metadata = ["gateway": "\(gateway.name)"]
        switch gateway.verifyNotification(notification) {
        case .malformed(let why):
            logger.warning("notification refused: malformed", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .malformed(why)
        case .forged(let why):
            logger.warning("notification refused: not signed by the gateway", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .forged(why)
        case .ignored(let why):
            logger.warning("notification ignored: it can never apply to this till", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .ignored(why)
        case .payment(let orderID, let verdict):
            let binding: LedgerNotification.Binding = gateway.notificationBinding == .recordedTrade ? .recordedTrade : .orderNumber
            return await applyPayment(orderID, verdict, binding: binding, gateway: gateway, body: body, metadata)
        case .paymentOfTrade(let trade, let verdict):
            return await applyPayment(ofTrade: trade, verdict, gateway: gateway, body: body, metadata)
        case .refund(let orderID, let notice, let verdict):
            let binding: LedgerNotification.Binding = gateway.notificationBinding == .recordedTrade ? .recordedTrade : .orderNumber
            let record = LedgerRefundNotification(orderID: orderID, notice: notice, provider: gateway.name,
                                                  verdict: verdict, body: body, at: wallClock(), binding: binding)
            return await applyRefund(record, metadata)
        }
    }

    /// Applies a refund notification. One of a trade the ledger has not recorded for the order
    /// yet is asked for again: the order's payment, once bound, makes it apply.
    private func applyRefund(_ record: LedgerRefundNotification, _ metadata: Logger.Metadata) async -> Outcome {
        let ledger = self.ledger
        do {
            return logged(try await ledgerQueue.run { () throws(LedgerError) in try ledger.applyRefundNotification(record) },
                          record.orderID, metadata)
        } catch .tradeUnconfirmed(_, let trade) {
            var metadata = metadata
            metadata["order"] = "\(record.orderID)"
            metadata["trade"] = "\(trade)"
            logger.warning("refund notification not applied: the order has no trade recorded yet",
                           metadata: metadata.merging(["why": "a refund binds only to the trade recorded for its order"]) { $1 })
            return .refused("the order's payment is not bound to a trade yet; send it again later")
        } catch {
            return failure(error, record.orderID, metadata)
        }
    }

    /// Applies a payment notification that names our order. Under `.recordedTrade`, a `paid` for
    /// an order whose trade the ledger has not recorded is believed only once the gateway, asked
    /// with our own credentials, confirms that trade is this order's.
    private func applyPayment(_ orderID: OrderID, _ verdict: PaymentVerdict, binding: LedgerNotification.Binding,
                              gateway: any PaymentGateway, body: String, _ metadata: Logger.Metadata) async -> Outcome {
        let record = LedgerNotification(orderID: orderID, provider: gateway.name, verdict: verdict, body: body,
                                        at: wallClock(), binding: binding)
        let trade: String
        let ledger = self.ledger
        do {
            return logged(try await ledgerQueue.run { () throws(LedgerError) in try ledger.applyNotification(record) }, orderID, metadata)
        } catch .tradeUnconfirmed(_, let named) {
            trade = named
        } catch {
            return failure(error, orderID, metadata)
        }
        switch await gateway.lookUp(trade: trade) {
        case .found(let owner, let confirmed) where owner == orderID:
            return await applyConfirmed(orderID, confirmed, trade: trade, gateway: gateway, body: body, metadata)
        case .found(let owner, _):
            return ignore("the gateway says trade \(trade) is order \(owner)'s, not \(orderID)'s", orderID, metadata)
        case .notFound:
            return ignore("the gateway has no trade \(trade) for this merchant", orderID, metadata)
        case .inDoubt(let why):
            return unconfirmed(trade, why, orderID, metadata)
        }
    }

    /// Applies a payment notification that names only the gateway's trade: the order that trade
    /// was recorded for, or the one the gateway names when asked about it.
    private func applyPayment(ofTrade trade: String, _ verdict: PaymentVerdict, gateway: any PaymentGateway,
                              body: String, _ metadata: Logger.Metadata) async -> Outcome {
        // Only a payment or a decline changes an order; "not paid yet" needs no order found.
        switch verdict {
        case .paid, .declined: break
        default: return .applied(.noted)
        }
        let recorded: OrderID?
        let (ledger, provider, since) = (self.ledger, gateway.name, wallClock() - Self.tradeLookBack)
        do { recorded = try await ledgerQueue.run { () throws(LedgerError) in try ledger.orderID(ofTrade: trade, provider: provider, since: since) } } catch {
            metrics.ledgerFailed()
            logger.error("notification not recorded: ledger error", metadata: metadata.merging(["why": "\(error.description)"]) { $1 })
            return .failed("the ledger could not be read; send it again later")
        }
        // The ledger recorded the trade for this order: the same binding as the gateway's word.
        if let recorded { return await applyConfirmed(recorded, verdict, trade: trade, gateway: gateway, body: body, metadata) }
        switch await gateway.lookUp(trade: trade) {
        case .found(let orderID, let confirmed):
            return await applyConfirmed(orderID, confirmed, trade: trade, gateway: gateway, body: body, metadata)
        case .notFound:
            return ignore("the gateway has no trade \(trade) for this merchant", nil, metadata)
        case .inDoubt(let why):
            return unconfirmed(trade, why, nil, metadata)
        }
    }

    /// Applies the gateway's own verified answer about `trade` to `orderID`. A `paid` that names
    /// another trade than the one asked about is not this notification's payment.
    private func applyConfirmed(_ orderID: OrderID, _ verdict: PaymentVerdict, trade: String, gateway: any PaymentGateway,
                                body: String, _ metadata: Logger.Metadata) async -> Outcome {
        if case .paid(let confirmation) = verdict, confirmation.gatewayTradeID != trade {
            return ignore("the gateway's answer names trade \(confirmation.gatewayTradeID), not \(trade)", orderID, metadata)
        }
        let record = LedgerNotification(orderID: orderID, provider: gateway.name, verdict: verdict, body: body, at: wallClock(),
                                        binding: .confirmedByGateway)
        let ledger = self.ledger
        do {
            return logged(try await ledgerQueue.run { () throws(LedgerError) in try ledger.applyNotification(record) }, orderID, metadata)
        } catch {
            return failure(error, orderID, metadata)
        }
    }

    private func ignore(_ why: String, _ orderID: OrderID?, _ metadata: Logger.Metadata) -> Outcome {
        var metadata = metadata
        if let orderID { metadata["order"] = "\(orderID)" }
        logger.warning("notification ignored: not this till's payment", metadata: metadata.merging(["why": "\(why)"]) { $1 })
        return .ignored(why)
    }

    private func unconfirmed(_ trade: String, _ why: String, _ orderID: OrderID?, _ metadata: Logger.Metadata) -> Outcome {
        var metadata = metadata
        if let orderID { metadata["order"] = "\(orderID)" }
        metadata["trade"] = "\(trade)"
        logger.warning("notification not applied: the gateway could not confirm its trade", metadata: metadata.merging(["why": "\(why)"]) { $1 })
        return .failed("the trade could not be confirmed with the gateway now; send it again later")
    }

    private func logged(_ outcome: NotificationOutcome, _ orderID: OrderID, _ metadata: Logger.Metadata) -> Outcome {
        var metadata = metadata
        metadata["order"] = "\(orderID)"
        metadata["outcome"] = "\(outcome)"
        switch outcome {
        case .paidAfterClose, .secondPayment, .underpaid, .externalRefund:
            logger.critical("notification: NEEDS ATTENTION", metadata: metadata)
        default:
            logger.info("notification handled", metadata: metadata)
        }
        return .applied(outcome)
    }

    private func failure(_ error: LedgerError, _ orderID: OrderID, _ metadata: Logger.Metadata) -> Outcome {
        var metadata = metadata
        metadata["order"] = "\(orderID)"
        switch error {
        case .foreignTrade(_, let why):
            return ignore(why, orderID, metadata)
        case .orderNotFound, .refundNotFound, .notificationMismatch, .refundUnbound:
            logger.warning("notification refused", metadata: metadata.merging(["why": "\(error.description)"]) { $1 })
            return .refused(Self.shortReason(error))
        default:
            metrics.ledgerFailed()
            logger.error("notification not recorded: ledger error", metadata: metadata.merging(["why": "\(error.description)"]) { $1 })
            return .failed("the ledger could not record it; send it again later")
        }
    }

    /// A reason for the gateway's eyes: what was wrong, without the till's advice to its cashier.
    static func shortReason(_ error: LedgerError) -> String {
        switch error {
        case .orderNotFound: "unknown order"
        case .refundNotFound: "unknown refund"
        case .notificationMismatch(_, let why), .refundUnbound(_, let why): why
        default: "not handled"
        }
    }
}
