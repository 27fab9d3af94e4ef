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
/// - Applying is one ledger transaction; a duplicate changes nothing and is acknowledged again.
/// - A paid notification for an order already closed, or one whose money fell short of the
///   price (underpaid), is kept as "needs attention", and acknowledged (the gateway need not
///   resend: it is recorded).
/// - One log line per notification: gateway, order, outcome. Never a key or a payment code
///   (the gateway's verdict carries neither; the body goes to the ledger masked, not the log).
public struct NotificationReceiver: Sendable {
    /// The gateways served, by the name in their route (`/notify/<name>`).
    public let gateways: [String: any PaymentGateway]
    public let ledger: Ledger
    let wallClock: @Sendable () -> Date
    let logger: Logger

    public init(gateways: [any PaymentGateway], ledger: Ledger, wallClock: @escaping @Sendable () -> Date = Date.init,
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
        /// The ledger could not be written: the gateway should try again later.
        case failed(String)
    }

    /// Handles a notification posted to `/notify/<provider>`; nil when no such gateway is served.
    public func receive(_ notification: IncomingNotification, provider: String) -> (NotificationReply, Outcome)? {
        guard let gateway = gateways[provider] else { return nil }
        let outcome = handle(notification, gateway: gateway)
        let reply: NotificationReply
        switch outcome {
        case .applied: reply = gateway.notificationReply(handled: true, reason: nil)
        case .refused(let why): reply = gateway.notificationReply(handled: false, reason: why)
        case .malformed(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 400)
        case .forged(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 403)
        case .failed(let why): reply = gateway.notificationReply(handled: false, reason: why).with(status: 503)
        }
        return (reply, outcome)
    }

    private func handle(_ notification: IncomingNotification, gateway: any PaymentGateway) -> Outcome {
        let body = String(decoding: notification.body, as: UTF8.self)
        let metadata: Logger.Metadata = ["gateway": "\(gateway.name)"]
        switch gateway.verifyNotification(notification) {
        case .malformed(let why):
            logger.warning("notification refused: malformed", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .malformed(why)
        case .forged(let why):
            logger.warning("notification refused: not signed by the gateway", metadata: metadata.merging(["why": "\(why)"]) { $1 })
            return .forged(why)
        case .payment(let orderID, let verdict):
            let record = LedgerNotification(orderID: orderID, provider: gateway.name, verdict: verdict, body: body, at: wallClock())
            return apply(orderID, metadata) { () throws(LedgerError) in try ledger.applyNotification(record) }
        case .refund(let orderID, let refundID, let verdict):
            let record = LedgerRefundNotification(orderID: orderID, refundID: refundID, provider: gateway.name,
                                                  verdict: verdict, body: body, at: wallClock())
            return apply(orderID, metadata) { () throws(LedgerError) in try ledger.applyRefundNotification(record) }
        }
    }

    private func apply(_ orderID: OrderID, _ metadata: Logger.Metadata,
                       _ write: () throws(LedgerError) -> NotificationOutcome) -> Outcome {
        var metadata = metadata
        metadata["order"] = "\(orderID)"
        do {
            let outcome = try write()
            metadata["outcome"] = "\(outcome)"
            switch outcome {
            case .paidAfterClose, .secondPayment, .underpaid:
                logger.critical("notification: NEEDS ATTENTION", metadata: metadata)
            default:
                logger.info("notification handled", metadata: metadata)
            }
            return .applied(outcome)
        } catch {
            switch error {
            case .orderNotFound, .refundNotFound, .notificationMismatch:
                logger.warning("notification refused", metadata: metadata.merging(["why": "\(error.description)"]) { $1 })
                return .refused(Self.shortReason(error))
            default:
                logger.error("notification not recorded: ledger error", metadata: metadata.merging(["why": "\(error.description)"]) { $1 })
                return .failed("the ledger could not record it; send it again later")
            }
        }
    }

    /// A reason for the gateway's eyes: what was wrong, without the till's advice to its cashier.
    static func shortReason(_ error: LedgerError) -> String {
        switch error {
        case .orderNotFound: "unknown order"
        case .refundNotFound: "unknown refund"
        case .notificationMismatch(_, let why): why
        default: "not handled"
        }
    }
}
