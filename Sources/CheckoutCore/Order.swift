import Foundation

/// The till's order number, sent to gateways as `out_trade_no`: 6 to 32 letters and digits,
/// unique across the shop, and never reused for a second payment attempt.
public struct OrderID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts an order number typed by a person or read back from a gateway.
    public init(_ text: String) throws(OrderIDError) {
        let trimmed = text.trimmingWhitespace()
        guard (6...32).contains(trimmed.count),
              trimmed.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) })
        else { throw OrderIDError(text: trimmed) }
        rawValue = trimmed
    }

    /// How many characters a new order number has unless its gateway asks for more.
    public static let standardLength = 19

    /// A new order number of `length` characters: `S` + the store-local time (yyMMddHHmmss) +
    /// random letters and digits for the rest (6 at the standard length), so numbers sort by
    /// time and two tills never collide in practice. `length` runs from `standardLength` to 32.
    public static func generate(localTimestamp: String, length: Int = standardLength,
                                using generator: inout some RandomNumberGenerator) -> OrderID {
        let randomCount = length - 1 - localTimestamp.count
        precondition(length <= 32 && randomCount >= 6, "an order number has at least 6 random characters and 32 in all")
        let alphabet = Array(suffixAlphabet)
        let suffix = String((0..<randomCount).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        return try! OrderID("S" + localTimestamp + suffix)  // `length` letters and digits by construction
    }

    private static let suffixAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    private static let suffixLength = 6
    private static let timestampLength = 12

    /// True when the number has exactly the form `generate` gives at the standard length (`S`, 12 digits, 6 of its
    /// letters and digits): a number a till made. A gateway whose signature joins fields
    /// without separators (CloudPay) relies on it: a number of fixed length and form cannot
    /// lend characters to the field beside it.
    public var isTillNumber: Bool {
        let scalars = Array(rawValue.unicodeScalars)
        guard scalars.count == 1 + Self.timestampLength + Self.suffixLength, scalars[0] == "S" else { return false }
        let digits = scalars[1...Self.timestampLength]
        let suffix = scalars[(1 + Self.timestampLength)...]
        return digits.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
            && suffix.allSatisfy { Self.suffixAlphabet.unicodeScalars.contains($0) }
    }

    public var description: String { rawValue }
    public static func < (lhs: OrderID, rhs: OrderID) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct OrderIDError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "\"\(text)\" is not an order number: it has 6 to 32 letters and digits, as shown on the receipt or by `shroff orders`."
    }
}

/// How the customer pays.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    /// The cashier scans the code on the customer's phone (Wantu `pospay`).
    case scan
    /// The customer scans a QR code the till shows (Wantu `create-qrcode`).
    case qr
}

/// Where an order stands. Every order ends `paid`, `declined`, `cancelled` or `expired`;
/// `pending` and `unknown` need the till (or the cashier) to act.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    /// Written down; a request may be on the wire or may have left before a crash.
    case pending
    /// The gateway confirmed the payment, with a signed answer.
    case paid
    /// The gateway refused it clearly: no money was taken. Or less money came in than the
    /// price allows (an underpayment): not paid, what came in recorded and the order flagged.
    case declined
    /// Cancelled (reversed) or closed at the gateway after a timeout or by the cashier.
    case cancelled
    /// A QR order nobody paid before it ran out, closed at the gateway.
    case expired
    /// The till could not learn or settle the outcome: the cashier must check it.
    case unknown

    /// True once nothing more will happen to the order by itself.
    public var isFinal: Bool {
        switch self {
        case .paid, .declined, .cancelled, .expired: true
        case .pending, .unknown: false
        }
    }
}

/// One sale as the ledger keeps it. Amounts are minor units; the payment code is kept masked only.
public struct Order: Sendable, Equatable {
    public var id: OrderID
    /// The gateway's name in configuration ("wantu").
    public var provider: String
    public var method: PaymentMethod
    public var wallet: Wallet
    public var amount: Money
    public var subject: String
    public var status: OrderStatus
    /// The payment code as shown to people: first and last four digits.
    public var maskedCode: String?
    /// The gateway's own number for the trade, once known.
    public var gatewayTradeID: String?
    /// The money the gateway says came in for the order. Every paid order has it: the amount
    /// charged, unless the gateway reported another figure (CloudPay's `realprice`). An order
    /// that is not paid has it only when money came in all the same (an underpayment, a
    /// payment after close). nil when nothing came in.
    public var received: Money?
    /// Why the order is declined, cancelled or unknown, in words for the cashier.
    public var statusReason: String?
    /// Set when something happened that a person must look at whatever the status says: a
    /// payment notified after the order was closed ("paid after close"), a second payment.
    public var attention: String?
    /// The lease of the process that started or took over the order (see the ledger).
    public var owner: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: OrderID, provider: String, method: PaymentMethod, wallet: Wallet, amount: Money,
                subject: String, status: OrderStatus = .pending, maskedCode: String? = nil,
                gatewayTradeID: String? = nil, statusReason: String? = nil, attention: String? = nil,
                owner: String? = nil, received: Money? = nil, createdAt: Date, updatedAt: Date? = nil) {
        self.id = id
        self.provider = provider
        self.method = method
        self.wallet = wallet
        self.amount = amount
        self.subject = subject
        self.status = status
        self.maskedCode = maskedCode
        self.gatewayTradeID = gatewayTradeID
        self.statusReason = statusReason
        self.attention = attention
        self.owner = owner
        self.received = received
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
