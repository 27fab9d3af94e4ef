import CheckoutCore
import Ledger

/// How a refund request ended.
public struct RefundReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case refunded
        /// Refused clearly: nothing was refunded.
        case failed(RefundRefusal)
        /// No clear answer after retries: run the refund again to retry the same refund number.
        case unknown(Doubt)
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

extension RefundReport.Outcome {
    /// The outcome in a few English words, for the log and `--json`; the front ends word the
    /// outcome itself.
    public var summary: String {
        switch self {
        case .refunded: "REFUNDED"
        case .failed(let why): "FAILED, nothing was refunded: \(why)"
        case .unknown(let why): "still OUTCOME UNKNOWN (\(why)); it is asked about again at the next start, or with `shroff refund`"
        case .processing(let id, let url):
            "still PROCESSING at the gateway (\(id))" + (url.map { "; the owner must confirm it at \($0)" } ?? "")
        }
    }

    /// The stable code of why it failed or is unknown, for scripts; nil otherwise.
    public var reasonCode: String? {
        switch self {
        case .failed(let why): why.code
        case .unknown(let doubt): doubt.code
        case .refunded, .processing: nil
        }
    }
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
            throw .notApplicable(.notPaid(id, order.status))
        }
        let remaining: Money
        do { remaining = try ledger.refundableRemainder(of: id) } catch { throw .ledger(error) }
        guard remaining.minorUnits > 0 else {
            throw .notApplicable(.fullyRefunded(id))
        }
        let refund: Refund
        do {
            refund = try ledger.beginRefund(orderID: id, amount: amount ?? remaining, reason: reason, at: wallClock())
        } catch {
            throw .ledger(error)
        }
        return try await send(refund, of: order, retried: false)
    }

    /// Every refund a crash, a power cut or an unclear answer left pending or unknown (a refund
    /// still processing included), settled like an open order: claimed, asked about once under
    /// its own number (Paymax: by its `re_…` id when known), and settled or left unknown for a
    /// later run. Refunds another live process is sending are left to it; so are refunds of a
    /// gateway this till is not configured for. `asking` hears of each refund before it is sent.
    public func resolveOpenRefunds(asking: @escaping @Sendable (Refund) -> Void = { _ in }) async throws(TillError) -> [RefundReport] {
        let open: [Refund]
        do { open = try ledger.unresolvedRefunds() } catch { throw .ledger(error) }
        var reports: [RefundReport] = []
        for refund in open where !ledger.isInProgressElsewhere(refund) {
            let order = try order(refund.orderID)
            guard let gateway = try? gateway(for: order), gateway.capabilities.contains(.refund) else { continue }
            logger.info("settling an open refund", metadata: ["refund": "\(refund.id)", "status": "\(refund.status.rawValue)"])
            asking(refund)
            do {
                reports.append(try await send(refund, of: order, retried: true, attempts: 1))
            } catch .refundInProgressElsewhere {
                continue  // claimed by another shroff since it was listed
            }
        }
        return reports
    }

    /// Sends a refund already in the ledger, retrying an unclear answer (`attempts`, by default
    /// the policy's) with the same number.
    ///
    /// The refund is claimed first and let go when this returns: one another live process, or
    /// another task of this one, is sending is not sent (`refundInProgressElsewhere`), so no two
    /// ever look-then-send the same refund at once; one left unknown may be retried by any shroff.
    func send(_ listed: Refund, of order: Order, retried: Bool, attempts: Int? = nil) async throws(TillError) -> RefundReport {
        guard sendingRefunds.withLock({ $0.insert(listed.id).inserted }) else { throw .refundInProgressElsewhere(listed.id) }
        defer { sendingRefunds.withLock { _ = $0.remove(listed.id) } }
        let claimed: Bool
        do { claimed = try ledger.claimRefund(listed.id, at: wallClock()) } catch { throw .ledger(error) }
        guard claimed else { throw .refundInProgressElsewhere(listed.id) }
        defer {
            do { try ledger.releaseRefund(listed.id) } catch {
                // Left owned by this live process: others see it in progress until this one ends.
                logger.error("refund not let go", metadata: ["refund": "\(listed.id)", "error": "\(error)"])
            }
        }
        // Read afresh: another shroff, or a notification, may have settled it since it was listed.
        let siblings: [Refund]
        do { siblings = try ledger.refunds(for: order.id) } catch { throw .ledger(error) }
        guard var refund = siblings.first(where: { $0.id == listed.id }) else { throw .ledger(.refundNotFound(listed.id)) }
        let others = Set(siblings.filter { $0.id != refund.id }.compactMap(\.gatewayRefundID))
        let gateway = try gateway(for: order)
        var problems: [String] = []
        var outcome = refund.status.isFinal ? Self.outcome(ofSettled: refund) : RefundReport.Outcome.unknown(.notSent)
        for attemptNumber in 1...max(1, attempts ?? policy.settleAttempts) where !refund.status.isFinal {
            if attemptNumber > 1 { try? await clock.sleep(policy.settleRetryInterval) }
            let request = RefundRequest(order: OrderReference(order), refundID: refund.id, amount: refund.amount, reason: refund.reason,
                                        gatewayRefundID: refund.gatewayRefundID, mayHaveBeenSent: retried || attemptNumber > 1,
                                        otherGatewayRefundIDs: others)
            let verdict = await attempt(.refund, order: order.id, refund: refund.id, progress: { _ in }, problems: &problems) {
                await gateway.refund(request)
            }
            let status: RefundStatus
            var gatewayRefundID: String?
            switch verdict {
            case .refunded(let id):
                (status, outcome, gatewayRefundID) = (.refunded, .refunded, id)
            case .declined(let why):
                (status, outcome) = (.failed, .failed(.declined(why)))
            case .rejected(let problem):
                (status, outcome) = (.failed, .failed(.rejected(problem)))
            case .inDoubt(let why):
                (status, outcome) = (.unknown, .unknown(.noClearAnswer(why)))
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
                outcome = Self.outcome(ofSettled: settled)
                break
            }
            if status != .unknown { break }
            if case .processing = outcome { break }
        }
        let remaining: Money
        do { remaining = try ledger.refundableRemainder(of: order.id) } catch { throw .ledger(error) }
        return RefundReport(refund: refund, outcome: outcome, retriedEarlierRefund: retried, remaining: remaining)
    }

    /// What a refund the ledger already has as final reports.
    static func outcome(ofSettled refund: Refund) -> RefundReport.Outcome {
        refund.status == .refunded ? .refunded : .failed(.recorded(refund.statusReason))
    }
}
