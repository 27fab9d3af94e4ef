import CheckoutCore
import Foundation

extension DayReport {
    /// The report for `day` from orders and refunds: the day's sales are the orders created in
    /// it; its refunds are those made in it, whichever day their order was (pass those orders
    /// too, for their wallet). Anything else passed is ignored.
    public static func make(_ kind: Kind, day: StoreDay, currency: Currency, orders: [Order],
                            refunds: [Refund], closedAt: Date? = nil) -> DayReport {
        let zero = Money.zero(currency)
        let dayOrders = orders.filter { day.contains($0.createdAt) }
        var counts = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0, 0) })
        var byWallet = Dictionary(uniqueKeysWithValues: Wallet.allCases.map {
            ($0, WalletTotals(wallet: $0, count: 0, paid: zero, received: zero, refunded: zero))
        })
        let walletOfOrder = Dictionary(orders.map { ($0.id, $0.wallet) }, uniquingKeysWith: { first, _ in first })
        var open: [Order] = []
        var otherCurrency = 0
        var differences: [ReceivedDifference] = []
        for order in dayOrders {
            counts[order.status, default: 0] += 1
            if !order.status.isFinal { open.append(order) }
            guard order.amount.currency == currency else {
                otherCurrency += 1
                continue
            }
            if order.status == .paid {
                byWallet[order.wallet]!.count += 1
                byWallet[order.wallet]!.paid = byWallet[order.wallet]!.paid + order.amount
            }
            // A paid order has always received money (its amount, unless the gateway said otherwise).
            let received = order.received ?? (order.status == .paid ? order.amount : nil)
            if let received, received.currency == currency {
                byWallet[order.wallet]!.received = byWallet[order.wallet]!.received + received
                if received != order.amount || order.status != .paid {
                    differences.append(ReceivedDifference(orderID: order.id, status: order.status, price: order.amount, received: received))
                }
            }
        }
        var refundCount = 0
        var inDoubt = 0
        var seenRefunds = Set<RefundID>()
        var refundedElsewhere: [OrderID] = []
        for refund in refunds where refund.amount.currency == currency && day.contains(refund.createdAt) {
            guard let wallet = walletOfOrder[refund.orderID], seenRefunds.insert(refund.id).inserted else { continue }
            switch refund.status {
            case .refunded:
                refundCount += 1
                byWallet[wallet]!.refunded = byWallet[wallet]!.refunded + refund.amount
                if refund.origin == .external, !refundedElsewhere.contains(refund.orderID) { refundedElsewhere.append(refund.orderID) }
            case .pending, .unknown:
                inDoubt += 1
                if let order = orders.first(where: { $0.id == refund.orderID }), !open.contains(where: { $0.id == order.id }) {
                    open.append(order)
                }
            case .failed:
                break
            }
        }
        let wallets = Wallet.allCases.map { byWallet[$0]! }
        let paid = wallets.reduce(zero) { $0 + $1.paid }
        let received = wallets.reduce(zero) { $0 + $1.received }
        let refunded = wallets.reduce(zero) { $0 + $1.refunded }
        // Oldest first, as the cashier will work through them.
        let openIDs = open.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map(\.id)
        var report = DayReport(kind: kind, day: day.text, wallets: wallets, paid: paid, received: received, refunded: refunded,
                               net: paid - refunded, countsByStatus: counts, closedAt: closedAt, period: day,
                               refundCount: refundCount, refundsInDoubt: inDoubt, openOrders: openIDs,
                               otherCurrencyOrders: otherCurrency)
        report.attention = dayOrders.filter { $0.attention != nil }.map(\.id)
        report.receivedDifferences = differences.sorted { $0.orderID < $1.orderID }
        // A refund made outside the till is the day's money, whichever day its order was.
        report.attention += refundedElsewhere.filter { !report.attention.contains($0) }
        return report
    }
}
