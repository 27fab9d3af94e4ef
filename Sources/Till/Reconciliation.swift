import CheckoutCore
import Foundation
import Ledger

/// The ledger compared with the gateway's own list over a period.
public struct Reconciliation: Sendable {
    /// Paid in the ledger and listed by the gateway for the same amount.
    public var matched: [Order] = []
    /// Paid in the ledger, not listed by the gateway.
    public var missingAtGateway: [Order] = []
    /// Listed by the gateway as paid, but not paid in this ledger (not there at all, or cancelled,
    /// declined, unknown…): a customer may have paid without the till knowing.
    public var missingInLedger: [(GatewayTransaction, Order?)] = []
    /// In both, for different amounts.
    public var amountMismatches: [(Order, GatewayTransaction)] = []
    /// Refunds the ledger has as refunded that the gateway does not list, and the reverse.
    public var refundsMissingAtGateway: [Refund] = []
    public var refundsMissingInLedger: [GatewayTransaction] = []

    public var isClean: Bool {
        missingAtGateway.isEmpty && missingInLedger.isEmpty && amountMismatches.isEmpty
            && refundsMissingAtGateway.isEmpty && refundsMissingInLedger.isEmpty
    }
}

extension CheckoutRunner {
    /// Compares the ledger's orders created in [start, end) with the gateway's list for the same
    /// period (the gateway's dates are inclusive, to the second).
    public func reconcile(from start: Date, to end: Date) async throws(TillError) -> Reconciliation {
        guard gateway.capabilities.contains(.transactionList) else { throw .unsupported(gateway: gateway.name, what: "a transaction list") }
        let listed: [GatewayTransaction]
        do { listed = try await gateway.transactions(from: start, to: end.addingTimeInterval(-1)) } catch { throw .gateway(error) }
        let orders: [Order]
        do { orders = try ledger.orders(createdFrom: start, to: end).filter { $0.provider == gateway.name } } catch { throw .ledger(error) }

        var report = Reconciliation()
        let payments = Dictionary(listed.filter { $0.kind == .payment }.map { ($0.orderID, $0) }, uniquingKeysWith: { first, _ in first })
        let byID = Dictionary(orders.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        for order in orders where order.status == .paid {
            guard let line = payments[order.id.rawValue] else { report.missingAtGateway.append(order); continue }
            if line.amount == order.amount { report.matched.append(order) } else { report.amountMismatches.append((order, line)) }
        }
        for line in listed where line.kind == .payment {
            let order = byID[line.orderID]
            if order?.status != .paid { report.missingInLedger.append((line, order)) }
        }

        var ledgerRefunds: [String: Refund] = [:]
        for order in orders where order.status == .paid {
            let refunds: [Refund]
            do { refunds = try ledger.refunds(for: order.id) } catch { throw .ledger(error) }
            for refund in refunds where refund.status == .refunded { ledgerRefunds[refund.id.rawValue] = refund }
        }
        let listedRefunds = listed.filter { $0.kind == .refund }
        let listedRefundIDs = Set(listedRefunds.compactMap(\.refundID))
        report.refundsMissingAtGateway = ledgerRefunds.values.filter { !listedRefundIDs.contains($0.id.rawValue) }.sorted { $0.id.rawValue < $1.id.rawValue }
        report.refundsMissingInLedger = listedRefunds.filter { ledgerRefunds[$0.refundID ?? ""] == nil }
        return report
    }
}
