import CheckoutCore
import Foundation

/// Where a sandbox order stands, as Wantu would say it.
public enum SandboxOrderStatus: String, Sendable, Equatable {
    /// Created, not paid yet: may still be paid (by the customer, or by itself in some scenarios).
    case notPaid
    /// Paid: can be refunded, never cancelled or closed.
    case paid
    /// Declined at pospay: nothing was taken and nothing more will happen.
    case failed
    /// Cancelled or closed while unpaid: it can no longer be paid.
    case closed
}

/// A sandbox order as a test sees it: what the simulated Wantu holds, and how often the till
/// asked about it.
public struct SandboxOrderSnapshot: Sendable, Equatable {
    public var outTradeNo: String
    public var tradeID: String
    /// 1 WeChat Pay, 2 Alipay.
    public var payChannel: Int
    /// True for a QR order (create-qrcode), false for a barcode payment (pospay).
    public var isQR: Bool
    public var amount: Money
    public var status: SandboxOrderStatus
    /// `trade_time` as written in answers, once paid.
    public var tradeTime: String?
    public var refundCount: Int
    public var refundedTotal: Money
    /// pospay requests that named this order, the first one included.
    public var pospayCalls: Int
    public var queryCalls: Int
    public var cancelCalls: Int
    public var closeCalls: Int
    /// refund requests that named this order, retries included.
    public var refundCalls: Int
}

/// A refund the sandbox carried out; a retry with the same `out_refund_no` gets it back.
/// Saved as it is in the state file (its date is a wall-clock date already).
struct SandboxRefund: Sendable, Codable {
    var outRefundNo: String
    var refundID: String
    var amountMinor: Int64
    var date: Date
}

/// One order as the simulated Wantu keeps it.
struct SandboxOrder: Sendable {
    var outTradeNo: String
    var tradeID: String
    var isQR: Bool
    var payChannel: Int
    var amountMinor: Int64
    /// The pospay scenario; nil for a QR order, which only the `..10` rule affects.
    var scenario: SandboxScenario?
    var status: SandboxOrderStatus
    var attach: String
    var deviceSN: String
    /// When it was created, on both clocks: the wall time dates the trade, the monotonic one
    /// times the scenario.
    var createdWall: Date
    var createdAt: Duration
    /// Monotonic time at which it pays itself (a customer confirming on the phone), if ever.
    var paysAt: Duration?
    var paidWall: Date?
    var refunds: [SandboxRefund] = []
    /// Where the payment's notification goes (the request's `notify_url`); not kept in the
    /// state file, so orders from an earlier run are not announced again.
    var notifyURL = ""
    var pospayCalls = 0
    var queryCalls = 0
    var cancelCalls = 0
    var closeCalls = 0
    var refundCalls = 0

    var refundedMinor: Int64 { refunds.reduce(0) { $0 + $1.amountMinor } }

    /// Applies a payment that fell due by `now`: the customer confirmed while nobody asked.
    mutating func settle(now: Duration) {
        guard status == .notPaid, let due = paysAt, due <= now else { return }
        status = .paid
        paysAt = nil
        // Dated when it was due, not when someone noticed: the order-list must agree with query.
        paidWall = createdWall.addingTimeInterval((due - createdAt).timeInterval)
    }

    mutating func markPaid(at wall: Date) {
        status = .paid
        paysAt = nil
        paidWall = wall
    }

    func snapshot(currency: Currency, format: (Date) -> String) -> SandboxOrderSnapshot {
        SandboxOrderSnapshot(
            outTradeNo: outTradeNo, tradeID: tradeID, payChannel: payChannel, isQR: isQR,
            amount: Money(minorUnits: amountMinor, currency: currency), status: status,
            tradeTime: paidWall.map(format), refundCount: refunds.count,
            refundedTotal: Money(minorUnits: refundedMinor, currency: currency),
            pospayCalls: pospayCalls, queryCalls: queryCalls, cancelCalls: cancelCalls,
            closeCalls: closeCalls, refundCalls: refundCalls)
    }
}
