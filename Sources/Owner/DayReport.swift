import CheckoutCore
import Foundation
import Ledger

/// The figures of an X report (the day so far) or a Z report (the day closed).
///
/// What it promises: computed purely from the day's orders and their refunds (`make`);
/// amounts are in the store's currency (orders in another currency are counted by status
/// and in `otherCurrencyOrders`, never added to the money); `paid` adds the prices of paid
/// orders, `received` the money that came in for the day's orders, and every order where
/// the two differ is in `receivedDifferences`; refunded money counts confirmed refunds only,
/// and refunds still pending or unknown are counted apart; `net` is paid less refunded. A Z
/// report is refused while `openOrders` is not empty.
public struct DayReport: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case x, z }

    /// One wallet's share of the day.
    public struct WalletTotals: Sendable, Equatable {
        public var wallet: Wallet
        /// Paid orders.
        public var count: Int
        public var paid: Money
        /// The money that came in for this wallet's orders of the day (see `DayReport.received`).
        public var received: Money
        /// Confirmed refunds of this wallet's orders of the day.
        public var refunded: Money
        /// `received` defaults to `paid`.
        public init(wallet: Wallet, count: Int, paid: Money, received: Money? = nil, refunded: Money) {
            self.wallet = wallet
            self.count = count
            self.paid = paid
            self.received = received ?? paid
            self.refunded = refunded
        }
        public var net: Money { paid - refunded }
    }

    public var kind: Kind
    /// The business day, as the store writes it ("2025-11-22").
    public var day: String
    /// One entry per wallet, in `Wallet.allCases` order (a wallet with no sales shows zeros).
    public var wallets: [WalletTotals]
    /// The prices of the day's paid orders.
    public var paid: Money
    /// The money that came in for the day's orders: what each paid order received (its price,
    /// unless the gateway reported another figure, as CloudPay's `realprice`), and what came in
    /// for orders that are not paid (an underpayment, a payment after close).
    public var received: Money
    /// The orders whose money received differs from their price, by order number.
    public var receivedDifferences: [ReceivedDifference] = []
    public var refunded: Money
    public var net: Money
    /// How many of the day's orders are in each status (every status present, zeros included,
    /// when made by `make`).
    public var countsByStatus: [OrderStatus: Int]
    /// When the day was closed (Z only, or an X of a day already closed).
    public var closedAt: Date?
    /// The day's span and time zone; nil only for a report built by hand.
    public var period: StoreDay?
    /// Confirmed refunds of the day's orders.
    public var refundCount: Int
    /// Refunds of the day's orders still pending or unknown: not in `refunded` yet.
    public var refundsInDoubt: Int
    /// Orders that are pending or unknown, or have a refund that is: settle them before a Z.
    public var openOrders: [OrderID]
    /// Orders of the day in a currency other than the report's: counted, not added.
    public var otherCurrencyOrders: Int
    /// Orders of the day flagged for a person whatever their status (paid after close,
    /// underpaid), and orders refunded outside the till in the day (the gateway's back office).
    public var attention: [OrderID] = []
    /// Whose orders the report covers: one till's (a Z always), or every till's of the store.
    public var tills: TillScope = .allTills
    /// The tills covered, by name: the one till, or every till of the store; empty for a
    /// report built by hand.
    public var tillNames: [String] = []

    /// `received` defaults to `paid`.
    public init(kind: Kind, day: String, wallets: [WalletTotals], paid: Money, received: Money? = nil, refunded: Money, net: Money,
                countsByStatus: [OrderStatus: Int], closedAt: Date? = nil, period: StoreDay? = nil,
                refundCount: Int = 0, refundsInDoubt: Int = 0, openOrders: [OrderID] = [], otherCurrencyOrders: Int = 0) {
        self.kind = kind
        self.day = day
        self.wallets = wallets
        self.paid = paid
        self.received = received ?? paid
        self.refunded = refunded
        self.net = net
        self.countsByStatus = countsByStatus
        self.closedAt = closedAt
        self.period = period
        self.refundCount = refundCount
        self.refundsInDoubt = refundsInDoubt
        self.openOrders = openOrders
        self.otherCurrencyOrders = otherCurrencyOrders
    }

    /// Every order of the day, whatever its status.
    public var orderCount: Int { countsByStatus.values.reduce(0, +) }
    public var currency: Currency { paid.currency }
}

/// An order of the day whose money received is not its price: a paid order whose gateway
/// shifted the price (CloudPay's `realprice`) or took more, or an order that is not paid and
/// got money all the same (an underpayment, a payment after close).
public struct ReceivedDifference: Sendable, Equatable {
    public var orderID: OrderID
    public var status: OrderStatus
    public var price: Money
    public var received: Money

    public init(orderID: OrderID, status: OrderStatus, price: Money, received: Money) {
        self.orderID = orderID
        self.status = status
        self.price = price
        self.received = received
    }

    /// "S25…: CNY 12.29 received of CNY 12.30 (paid)".
    public var summary: String { "\(orderID): \(received) received of \(price) (\(status.rawValue))" }
}
