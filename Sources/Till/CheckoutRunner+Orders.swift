import CheckoutCore
import Ledger

/// Where an order stands after the till asked the gateway about it.
public struct StatusReport: Sendable {
    public var order: Order
    /// What the gateway said this time.
    public var gatewayAnswer: GatewayAnswer
    /// Set when the gateway disagrees with a final status in the ledger: the owner must look.
    public var discrepancy: Discrepancy?
    public var result: CheckoutResult?
}

/// What the gateway said when the till asked about an order.
public enum GatewayAnswer: Sendable, Equatable, CustomStringConvertible {
    /// The order was open: the till settled it on the way, and it ended so.
    case settled(CheckoutResult)
    /// The gateway answered a query about an order the ledger holds as final.
    case verdict(PaymentVerdict)
    /// The gateway (named as its merchants write it) cannot be asked about orders: the ledger's word stands.
    case cannotBeAsked(gateway: String)

    /// In English, for the log and `--json`.
    public var description: String {
        switch self {
        case .settled(let result): result.summary
        case .verdict(let verdict): verdict.logWords
        case .cannotBeAsked(let gateway): "the \(gateway) gateway cannot be asked about orders; the ledger's word stands"
        }
    }
}

/// How the gateway disagrees with the ledger about a settled order, as a value the front ends
/// word; `description` is the English of the ledger's note.
public enum Discrepancy: Sendable, Equatable, CustomStringConvertible {
    /// The gateway reports the order paid for another amount than the ledger's.
    case otherAmount(reported: Money, recorded: Money)
    /// The ledger has the order paid, but the gateway now says otherwise.
    case noLongerPaid(PaymentVerdict)
    /// The ledger has the order settled otherwise (`recorded`), but the gateway says it is paid.
    case paidAtGateway(recorded: OrderStatus, amount: Money, trade: String)
    /// What the ledger flagged on the order for a person, as it was written.
    case flagged(String)

    public var description: String {
        switch self {
        case .otherAmount(let reported, let recorded): "the gateway reports \(reported) paid; the ledger has \(recorded)"
        case .noLongerPaid(let verdict): "the ledger has it paid but the gateway now says: \(verdict.logWords)"
        case .paidAtGateway(let recorded, let amount, let trade):
            "the ledger has it \(recorded.rawValue) but the gateway says it is PAID (\(amount), trade \(trade)): the customer may have been charged; refund or reconcile"
        case .flagged(let note): note
        }
    }

    public var code: String {
        switch self {
        case .otherAmount: "other_amount"
        case .noLongerPaid: "no_longer_paid"
        case .paidAtGateway: "paid_at_gateway"
        case .flagged: "flagged"
        }
    }
}

extension CheckoutRunner {
    public func order(_ id: OrderID) throws(TillError) -> Order {
        let found: Order?
        do { found = try ledger.order(id) } catch { throw .ledger(error) }
        guard let found else { throw .orderNotFound(id) }
        return found
    }

    /// Asks the gateway about an order. An open order is settled on the way (queried, then
    /// cancelled or closed once past its deadline); a final one is only compared.
    public func status(_ id: OrderID) async throws(TillError) -> StatusReport {
        let order = try order(id)
        if !order.status.isFinal {
            let report = try await resume(order)
            return StatusReport(order: report.order, gatewayAnswer: .settled(report.result), discrepancy: nil, result: report.result)
        }
        let gateway = try gateway(for: order)
        guard gateway.capabilities.contains(.query) else {
            return StatusReport(order: order, gatewayAnswer: .cannotBeAsked(gateway: gateway.name), discrepancy: order.attention.map(Discrepancy.flagged),
                                result: nil)
        }
        var problems: [String] = []
        let verdict = await attempt(.query, order: id, progress: { _ in }, problems: &problems) { await gateway.query(OrderReference(order)) }
        var discrepancy: Discrepancy?
        switch (order.status, verdict) {
        case (.paid, .paid(let confirmation)) where confirmation.amount != order.amount:
            discrepancy = .otherAmount(reported: confirmation.amount, recorded: order.amount)
        case (.paid, .paid):
            break
        case (.paid, let other):
            discrepancy = .noLongerPaid(other)
        case (_, .paid(let confirmation)):
            discrepancy = .paidAtGateway(recorded: order.status, amount: confirmation.amount, trade: confirmation.gatewayTradeID)
        default:
            break
        }
        if let discrepancy {
            try? ledger.appendEvent(LedgerEvent(orderID: id, kind: .note, detail: "discrepancy: \(discrepancy)", at: wallClock()))
        }
        return StatusReport(order: order, gatewayAnswer: .verdict(verdict), discrepancy: discrepancy, result: nil)
    }

    /// The cashier cancels an open order by hand: it is asked about once more (a paid order stays
    /// paid), then cancelled (scan) or closed (QR) at the gateway.
    public func cancel(_ id: OrderID) async throws(TillError) -> CheckoutReport {
        let order = try order(id)
        switch order.status {
        case .paid:
            // A gateway without refunds (CloudPay) is refunded in its own back office, not here.
            if let gateway = try? gateway(for: order), !gateway.capabilities.contains(.refund) {
                throw .notApplicable(.paidNotCancellable(id, backOffice: gateway.displayName))
            }
            throw .notApplicable(.paidNotCancellable(id, backOffice: nil))
        case .declined, .cancelled, .expired: throw .notApplicable(.nothingToCancel(id, order.status))
        case .pending, .unknown: break
        }
        let gateway = try gateway(for: order)
        let settle: GatewayCapabilities = order.method == .scan ? .cancel : .close
        guard gateway.capabilities.contains(settle) else {
            throw .unsupported(gateway: gateway.name, what: order.method == .scan
                ? "cancelling a payment"
                : "closing a QR order (the order stays open there: the till settles it when asked with `shroff status`, and a payment after it expired is flagged)")
        }
        let control = CheckoutControl()
        control.requestCancel()
        return try await resume(order, control: control)
    }
}
