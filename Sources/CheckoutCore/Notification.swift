/// A notification as it reached the till's receiver: a gateway's HTTP request, untouched.
///
/// Gateways post JSON (Wantu, Paymax, CloudPay) or forms (the aggregator) and some sign in a
/// header (Paymax), so the whole request is kept: method, headers, query string and raw body.
public struct IncomingNotification: Sendable {
    public var method: String
    /// Header names as sent; `header(_:)` looks them up case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The query string after `?`, without it; empty when there is none.
    public var query: String
    public var body: [UInt8]

    public init(method: String = "POST", headers: [(name: String, value: String)] = [], query: String = "", body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.query = query
        self.body = body
    }

    /// The first value of header `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var contentType: String? { header("Content-Type") }
}

/// What a verified notification says, or why it was not believed.
public enum NotificationVerdict: Sendable, Equatable {
    /// A correctly signed notification about a payment. The same one may arrive more than once.
    case payment(orderID: OrderID, PaymentVerdict)
    /// A correctly signed notification about a payment that names only the gateway's own trade
    /// number, not our order (Wantu's §2.6 example has no `out_trade_no`). The receiver finds
    /// the order by that trade in the ledger, or asks the gateway (`lookUp(trade:)`).
    case paymentOfTrade(gatewayTradeID: String, PaymentVerdict)
    /// A correctly signed notification about a refund (Paymax sends these), with everything
    /// it names the refund by: the ledger binds it to a refund of ours only through those names.
    case refund(orderID: OrderID, RefundNotice, RefundVerdict)
    /// Missing or wrong signature: ignore it and answer with a failure.
    case forged(String)
    /// Not readable as a notification (not JSON, truncated, duplicate keys, not UTF-8…).
    case malformed(String)
    /// Correctly signed, but it can never apply to this till (another account's mode, say):
    /// nothing changes, and the gateway is told it was handled so that it stops resending.
    case ignored(String)
}

/// How a refund notification names the refund it reports, as the gateway signed it.
///
/// The ledger applies a notification to a refund of ours only when a name matches (our number,
/// or the gateway's own refund id recorded for it), never because it is the only one left. A
/// refund that no name matches was made elsewhere (the gateway's back office).
public struct RefundNotice: Sendable, Equatable {
    /// Our refund number, when the gateway carries it back (Paymax: in the refund's `metadata`).
    public var refundID: RefundID?
    /// The gateway's own number for the refund (Paymax's `re_…`).
    public var gatewayRefundID: String?
    /// The gateway trade refunded (Paymax's `charge`): under `.recordedTrade` it must be the
    /// trade recorded for the order.
    public var gatewayTradeID: String?
    /// The amount refunded, as the gateway states it.
    public var amount: Money?

    public init(refundID: RefundID? = nil, gatewayRefundID: String? = nil, gatewayTradeID: String? = nil, amount: Money? = nil) {
        self.refundID = refundID
        self.gatewayRefundID = gatewayRefundID
        self.gatewayTradeID = gatewayTradeID
        self.amount = amount
    }
}

/// How a gateway's payment notification is tied to the order it names.
public enum NotificationBinding: Sendable, Equatable {
    /// Our order number and its amount name the order: the gateway signs with a key of this
    /// merchant's own (Wantu, the aggregator, CloudPay), so no one else can name our orders.
    case orderNumber
    /// The gateway may sign every merchant's notifications with one platform key (Paymax), so a
    /// "paid" is believed only for the gateway trade the ledger recorded for the order. When the
    /// ledger has none (the create answer was lost), the receiver asks the gateway about that
    /// trade with the merchant's own credentials and believes only its verified answer.
    case recordedTrade
}

/// What the gateway says, in a verified answer, about one of its trades asked for by number.
public enum TradeLookup: Sendable, Equatable {
    /// The trade belongs to our order `orderID`, and this is its verdict (a `paid` names the
    /// trade asked about).
    case found(orderID: OrderID, PaymentVerdict)
    /// The gateway has no such trade for this merchant: it is not ours.
    case notFound
    /// No clear answer: ask again later.
    case inDoubt(String)
}

/// The HTTP answer a gateway expects from the receiver.
public struct NotificationReply: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// The same body with another HTTP status (400 for a malformed request, 413 too large…).
    public func with(status: Int) -> NotificationReply {
        NotificationReply(status: status, contentType: contentType, body: body)
    }
}
