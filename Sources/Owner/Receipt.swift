import CheckoutCore
import Foundation

/// A plain-text receipt for one payment or one refund, laid out for a receipt roll.
///
/// What it promises: every line fits `width` display columns; a training receipt says
/// TRAINING at its top and bottom; payment codes appear masked only (as the ledger keeps them);
/// times are in the store's time zone. Built by `payment(...)` and `refund(...)`, which are pure.
public struct Receipt: Sendable, Equatable {
    /// Paper widths in columns: 58 mm rolls print 32, 80 mm rolls 42 (Font A).
    public enum Width: Int, Sendable, CaseIterable {
        case narrow = 32
        case wide = 42
    }

    public var lines: [String]
    public var training: Bool
    /// The order or refund number the receipt is for: it names the receipt's file.
    public var number: String
    /// Indices into `lines` a printer prints emphasized (the total, the TRAINING marks).
    public var emphasized: [Int]
    public var width: Width

    public init(lines: [String], training: Bool, number: String, emphasized: [Int] = [], width: Width = .wide) {
        self.lines = lines
        self.training = training
        self.number = number
        self.emphasized = emphasized
        self.width = width
    }

    /// The receipt as text, one line per row, ending with a newline.
    public var text: String { lines.map { $0 + "\n" }.joined() }
}

extension Receipt {
    /// The receipt for a sale. An order that is not paid says so in its status and total lines,
    /// so it can never be taken for proof of payment.
    public static func payment(order: Order, storeName: String, timeZone: TimeZone, training: Bool,
                               width: Width = .wide) -> Receipt {
        var layout = ReceiptLayout(width: width.rawValue)
        layout.header(storeName: storeName, training: training)
        layout.left("PAYMENT")
        layout.pair("Date", ReceiptLayout.timestamp(order.updatedAt, in: timeZone))
        layout.pair("Order", order.id.rawValue)
        layout.pair("Wallet", order.wallet.displayName)
        if let code = order.maskedCode { layout.pair("Code", code) }
        if let trade = order.gatewayTradeID { layout.pair("Trade no.", trade) }
        layout.pair("Status", statusWords(order.status))
        layout.rule()
        layout.pair(totalLabel(order.status), order.amount.description, emphasized: true)
        layout.rule()
        layout.footer(training: training)
        return Receipt(lines: layout.lines, training: training, number: order.id.rawValue,
                       emphasized: layout.emphasized, width: width)
    }

    /// The receipt for a refund of `order`; `remaining` is what can still be refunded on it
    /// after this refund (as `Ledger.refundableRemainder` says).
    public static func refund(refund: Refund, order: Order, remaining: Money, storeName: String,
                              timeZone: TimeZone, training: Bool, width: Width = .wide) -> Receipt {
        var layout = ReceiptLayout(width: width.rawValue)
        layout.header(storeName: storeName, training: training)
        layout.left("REFUND")
        layout.pair("Date", ReceiptLayout.timestamp(refund.updatedAt, in: timeZone))
        layout.pair("Refund no.", refund.id.rawValue)
        layout.pair("Order", order.id.rawValue)
        layout.pair("Paid on", ReceiptLayout.timestamp(order.updatedAt, in: timeZone))
        layout.pair("Wallet", order.wallet.displayName)
        if let code = order.maskedCode { layout.pair("Code", code) }
        if let trade = order.gatewayTradeID { layout.pair("Trade no.", trade) }
        if let gatewayRefund = refund.gatewayRefundID { layout.pair("Refund ref.", gatewayRefund) }
        layout.pair("Status", refundStatusWords(refund.status))
        if !refund.reason.isEmpty { layout.pair("Reason", refund.reason) }
        layout.rule()
        layout.pair("Order total", order.amount.description)
        layout.pair(refundLabel(refund.status), refund.amount.description, emphasized: true)
        layout.pair("Left to refund", remaining.description)
        layout.rule()
        layout.footer(training: training)
        return Receipt(lines: layout.lines, training: training, number: refund.id.rawValue,
                       emphasized: layout.emphasized, width: width)
    }

    static func statusWords(_ status: OrderStatus) -> String {
        switch status {
        case .paid: "Paid"
        case .declined: "Declined - not paid"
        case .cancelled: "Cancelled - not paid"
        case .expired: "Expired - not paid"
        case .unknown: "Unknown - not confirmed"
        case .pending: "Pending - not confirmed"
        }
    }

    static func totalLabel(_ status: OrderStatus) -> String {
        switch status {
        case .paid: "TOTAL PAID"
        case .pending, .unknown: "NOT CONFIRMED"
        case .declined, .cancelled, .expired: "NOT PAID"
        }
    }

    static func refundStatusWords(_ status: RefundStatus) -> String {
        switch status {
        case .refunded: "Refunded"
        case .failed: "Failed - nothing refunded"
        case .pending: "Pending - not confirmed"
        case .unknown: "Unknown - not confirmed"
        }
    }

    static func refundLabel(_ status: RefundStatus) -> String {
        switch status {
        case .refunded: "REFUNDED"
        case .failed: "NOT REFUNDED"
        case .pending, .unknown: "REFUND NOT CONFIRMED"
        }
    }
}
