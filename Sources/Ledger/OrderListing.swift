import CheckoutCore
import Foundation

/// An order with the sums of its refunds and the till that recorded it, as a listing shows it.
public struct ListedOrder: Sendable, Equatable {
    public var order: Order
    /// The till that recorded the order (`[store] till`; an SQLite ledger's own till for each of its orders).
    public var till: String
    /// Refunds confirmed refunded.
    public var refunded: Money
    /// Refunds that may have moved money: pending, unknown or refunded. What counts against
    /// what is left to refund.
    public var committed: Money

    public init(order: Order, till: String, refunded: Money, committed: Money) {
        self.order = order
        self.till = till
        self.refunded = refunded
        self.committed = committed
    }
}

/// Where a page of the history ends: the next page starts after this order.
public struct OrderCursor: Sendable, Hashable {
    public var createdAt: Date
    public var id: OrderID

    public init(after order: Order) {
        createdAt = order.createdAt
        id = order.id
    }

    package init(createdAt: Date, id: OrderID) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// What the history looks for. Every part given must match; an empty search matches every order.
public struct OrderSearch: Sendable, Equatable {
    /// Part of the order number, the masked payment code or the gateway's trade id, any case.
    public var text: String?
    /// The order's exact amount, when the cashier typed an amount.
    public var amount: Money?
    /// Orders created in `createdFrom ..< createdBefore`; either end may be open.
    public var createdFrom: Date?
    public var createdBefore: Date?

    public init(text: String? = nil, amount: Money? = nil, createdFrom: Date? = nil, createdBefore: Date? = nil) {
        self.text = text
        self.amount = amount
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
    }

    /// What a cashier typed: matched as text, and as an amount too when it reads as one in
    /// `currency` ("12.5" finds HKD 12.50).
    public init(typed: String, currency: Currency, createdFrom: Date? = nil, createdBefore: Date? = nil) {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        text = trimmed.isEmpty ? nil : trimmed
        amount = try? Money(parsing: trimmed, currency: currency)
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
    }

    /// True when the text or the amount would narrow the list.
    package var narrowsByContent: Bool { text != nil || amount != nil }
}
