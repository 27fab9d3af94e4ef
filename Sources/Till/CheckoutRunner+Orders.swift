import CheckoutCore
import Ledger

/// Where an order stands after the till asked the gateway about it.
public struct StatusReport: Sendable {
    public var order: Order
    /// What the gateway said this time.
    public var gatewayAnswer: String
    /// Set when the gateway disagrees with a final status in the ledger: the owner must look.
    public var discrepancy: String?
    public var result: CheckoutResult?
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
            return StatusReport(order: report.order, gatewayAnswer: report.result.summary, discrepancy: nil, result: report.result)
        }
        let gateway = try gateway(for: order)
        guard gateway.capabilities.contains(.query) else {
            return StatusReport(order: order, gatewayAnswer: "the \(gateway.name) gateway cannot be asked about orders; the ledger's word stands", discrepancy: order.attention, result: nil)
        }
        var problems: [String] = []
        let verdict = await attempt(.query, order: id, progress: { _ in }, problems: &problems) { await gateway.query(OrderReference(order)) }
        var discrepancy: String?
        switch (order.status, verdict) {
        case (.paid, .paid(let confirmation)) where confirmation.amount != order.amount:
            discrepancy = "the gateway reports \(confirmation.amount) paid; the ledger has \(order.amount)"
        case (.paid, .paid):
            break
        case (.paid, let other):
            discrepancy = "the ledger has it paid but the gateway now says: \(other.logWords)"
        case (_, .paid(let confirmation)):
            discrepancy = "the ledger has it \(order.status.rawValue) but the gateway says it is PAID (\(confirmation.amount), trade \(confirmation.gatewayTradeID)): the customer may have been charged — refund or reconcile"
        default:
            break
        }
        if let discrepancy {
            try? ledger.appendEvent(LedgerEvent(orderID: id, kind: .note, detail: "discrepancy: \(discrepancy)", at: wallClock()))
        }
        return StatusReport(order: order, gatewayAnswer: verdict.logWords, discrepancy: discrepancy, result: nil)
    }

    /// The cashier cancels an open order by hand: it is asked about once more (a paid order stays
    /// paid), then cancelled (scan) or closed (QR) at the gateway.
    public func cancel(_ id: OrderID) async throws(TillError) -> CheckoutReport {
        let order = try order(id)
        switch order.status {
        case .paid:
            // A gateway without refunds (CloudPay) is refunded in its own back office, not here.
            if let gateway = try? gateway(for: order), !gateway.capabilities.contains(.refund) {
                throw .notApplicable("Order \(id) is paid; it cannot be cancelled, and \(gateway.displayName) takes no refunds from the till: refund this order in \(gateway.displayName)'s merchant back office. Nothing was sent.")
            }
            throw .notApplicable("Order \(id) is paid; it cannot be cancelled. Refund it instead: `shroff refund \(id) --reason ...`.")
        case .declined, .cancelled, .expired: throw .notApplicable("Order \(id) is already \(order.status.rawValue); nothing to cancel.")
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
