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
    /// A correctly signed notification about a refund (Paymax sends these). `refundID` is nil
    /// when the gateway names only its own refund number.
    case refund(orderID: OrderID, refundID: RefundID?, RefundVerdict)
    /// Missing or wrong signature: ignore it and answer with a failure.
    case forged(String)
    /// Not readable as a notification (not JSON, truncated, duplicate keys, not UTF-8…).
    case malformed(String)
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
