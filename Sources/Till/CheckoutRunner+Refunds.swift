import CheckoutCore
import Ledger

/// How a refund request ended.
public struct RefundReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case refunded
        /// Refused clearly: nothing was refunded.
        case failed(String)
        /// No clear answer after retries: run the refund again to retry the same refund number.
        case unknown(String)
        /// The gateway accepted it and has not finished (Paymax): the refund stays open until a
        /// later run or a refund notification settles it. With a `confirmationURL`, the owner
        /// must open that page and confirm the refund first (Alipay).
        case processing(gatewayRefundID: String, confirmationURL: String?)
    }
    public var refund: Refund
    public var outcome: Outcome
    /// True when this call retried an earlier refund left in doubt instead of starting a new one.
    public var retriedEarlierRefund: Bool
    /// What can still be refunded from the order after this.
    public var remaining: Money
}

extension CheckoutRunner {
    /// Refunds `amount` (all that is left when nil) of a paid order.
    ///
    /// A refund left in doubt earlier is retried first, under its own refund number, and no new
    /// refund is started in the same call — so typing the command twice never refunds twice.
    public func refund(_ id: OrderID, amount: Money?, reason: String) async throws(TillError) -> RefundReport {
        let order = try order(id)
        let gateway = try gateway(for: order)
        guard gateway.capabilities.contains(.refund) else {
            throw .unsupported(gateway: gateway.name, what: "refunds (\(gateway.refundAdvice))")
        }
        let open: [Refund]
        do { open = try ledger.refunds(for: id).filter { !$0.status.isFinal } } catch { throw .ledger(error) }
        if let earlier = open.first {
            return try await send(earlier, of: order, retried: true)
        }
        guard order.status == .paid else {
            throw .notApplicable("Order \(id) is \(order.status.rawValue), not paid: there is nothing to refund.")
        }
        let remaining: Money
        do { remaining = try ledger.refundableRemainder(of: id) } catch { throw .ledger(error) }
        guard remaining.minorUnits > 0 else {
            throw .notApplicable("Order \(id) is fully refunded: nothing is left to refund.")
        }
        let refund: Refund
        do {
            refund = try ledger.beginRefund(orderID: id, amount: amount ?? remaining, reason: reason, at: wallClock())
        } catch {
            throw .ledger(error)
        }
        return try await send(refund, of: order, retried: false)
    }

    /// Sends a refund already in the ledger, retrying an unclear answer a few times with the same number.
    func send(_ initial: Refund, of order: Order, retried: Bool) async throws(TillError) -> RefundReport {
        var refund = initial
        let gateway = try gateway(for: order)
        let request = RefundRequest(order: OrderReference(order), refundID: refund.id, amount: refund.amount, reason: refund.reason)
        var problems: [String] = []
        var outcome = RefundReport.Outcome.unknown("not sent")
        for attemptNumber in 1...max(1, policy.settleAttempts) {
            if attemptNumber > 1 { try? await clock.sleep(policy.settleRetryInterval) }
            let verdict = await attempt(.refund, order: order.id, refund: refund.id, progress: { _ in }, problems: &problems) {
                await gateway.refund(request)
            }
            let status: RefundStatus
            var gatewayRefundID: String?
            switch verdict {
            case .refunded(let id):
                (status, outcome, gatewayRefundID) = (.refunded, .refunded, id)
            case .declined(let why):
                (status, outcome) = (.failed, .failed(why))
            case .rejected(let problem):
                (status, outcome) = (.failed, .failed(problem.description))
            case .inDoubt(let why):
                (status, outcome) = (.unknown, .unknown(why))
            case .processing(let id, let url):
                // Open, like an unclear answer: running the refund again asks where it stands.
                (status, outcome, gatewayRefundID) = (.unknown, .processing(gatewayRefundID: id, confirmationURL: url), id)
            }
            do {
                refund = try ledger.updateRefund(refund.id, status: status, gatewayRefundID: gatewayRefundID,
                                                 reason: status == .refunded ? nil : Self.describe(verdict), at: wallClock())
            } catch {
                // A refund notification settled it while this answer was on its way (Paymax's
                // webhook can overtake a PROCESSING answer): the ledger's final word stands.
                guard case .refundIsFinal = error,
                      let settled = try? ledger.refunds(for: order.id).first(where: { $0.id == refund.id }) else { throw .ledger(error) }
                refund = settled
                outcome = settled.status == .refunded ? .refunded : .failed(settled.statusReason ?? "refused by the gateway")
                break
            }
            if status != .unknown { break }
            if case .processing = outcome { break }
        }
        let remaining: Money
        do { remaining = try ledger.refundableRemainder(of: order.id) } catch { throw .ledger(error) }
        return RefundReport(refund: refund, outcome: outcome, retriedEarlierRefund: retried, remaining: remaining)
    }
}
