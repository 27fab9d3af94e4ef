/// What a gateway can do. Front ends offer only what the configured gateway supports.
public struct GatewayCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Charge a payment code scanned from the customer's phone.
    public static let barcodePay = GatewayCapabilities(rawValue: 1 << 0)
    /// Create an order the customer pays by scanning a QR code.
    public static let qrPay = GatewayCapabilities(rawValue: 1 << 1)
    /// Ask where an order stands.
    public static let query = GatewayCapabilities(rawValue: 1 << 2)
    /// Reverse a barcode payment that is unpaid or in doubt.
    public static let cancel = GatewayCapabilities(rawValue: 1 << 3)
    /// Close an unpaid QR order so it can no longer be paid.
    public static let close = GatewayCapabilities(rawValue: 1 << 4)
    /// Refund part or all of a paid order.
    public static let refund = GatewayCapabilities(rawValue: 1 << 5)
    /// Ask where a refund stands.
    public static let refundQuery = GatewayCapabilities(rawValue: 1 << 6)
    /// List the gateway's transactions over a period, for reconciliation.
    public static let transactionList = GatewayCapabilities(rawValue: 1 << 7)
    /// Quote the exchange rate from the store's currency to CNY.
    public static let exchangeRate = GatewayCapabilities(rawValue: 1 << 8)
    /// Verify asynchronous payment notifications.
    public static let notifications = GatewayCapabilities(rawValue: 1 << 9)
    /// Show the store's fixed QR code, into which the customer types the amount.
    public static let storeQR = GatewayCapabilities(rawValue: 1 << 10)

    public static let named: [(String, GatewayCapabilities)] = [
        ("barcode pay", .barcodePay), ("QR pay", .qrPay), ("query", .query), ("cancel", .cancel),
        ("close", .close), ("refund", .refund), ("refund query", .refundQuery),
        ("transaction list", .transactionList), ("exchange rate", .exchangeRate),
        ("notifications", .notifications), ("store QR", .storeQR),
    ]

    /// Human names of the capabilities in the set, in a fixed order.
    public var names: [String] { Self.named.filter { contains($0.1) }.map(\.0) }
}
