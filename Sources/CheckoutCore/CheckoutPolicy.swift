/// How long the till waits for a payment and how often it asks, from the configuration.
///
/// Defaults follow the wallets' guidance for a till: ask every 5 s and give up within 45 s
/// (WeChat revokes an unpaid quick-pay order itself after 45 s), then cancel.
public struct CheckoutPolicy: Sendable, Equatable {
    /// Time between two queries of a pending order.
    public var pollInterval: Duration
    /// How long a scanned payment may stay unresolved before the till cancels it.
    public var payTimeout: Duration
    /// How long a QR order waits for the customer before the till closes it.
    public var qrTimeout: Duration
    /// Cancel or close requests sent before the order is left `unknown` for the cashier.
    public var settleAttempts: Int
    /// Time between two cancel or close requests.
    public var settleRetryInterval: Duration
    /// How long a checkout that cannot query waits for the notification of an order the
    /// gateway refused to cancel or close as "already paid", before it ends unknown.
    public var notificationGrace: Duration

    public init(pollInterval: Duration = .seconds(5), payTimeout: Duration = .seconds(45),
                qrTimeout: Duration = .seconds(180), settleAttempts: Int = 3,
                settleRetryInterval: Duration = .seconds(3), notificationGrace: Duration = .seconds(30)) {
        self.notificationGrace = notificationGrace
        self.pollInterval = pollInterval
        self.payTimeout = payTimeout
        self.qrTimeout = qrTimeout
        self.settleAttempts = settleAttempts
        self.settleRetryInterval = settleRetryInterval
    }
}

/// What the gateway lets a checkout do besides paying: ask where an order stands, and cancel
/// (scan) or close (QR) it. Without a query the checkout waits for the notification alone;
/// without cancel or close it gives up at the till only and never ends the order as closed.
public struct CheckoutAbilities: Sendable, Equatable {
    public var query: Bool
    public var settle: Bool

    public init(query: Bool, settle: Bool) {
        self.query = query
        self.settle = settle
    }

    public init(_ capabilities: GatewayCapabilities, method: PaymentMethod) {
        self.init(query: capabilities.contains(.query), settle: capabilities.contains(method == .scan ? .cancel : .close))
    }

    public static let all = CheckoutAbilities(query: true, settle: true)
}
