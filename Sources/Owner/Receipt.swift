import CheckoutCore
import Foundation
import Words

/// A plain-text receipt for one payment or one refund, laid out for a receipt roll.
///
/// What it promises: every line fits `width` display columns; a training receipt says
/// TRAINING at its top and bottom; payment codes appear masked only (as the ledger keeps them);
/// times are in the store's time zone; every word is in the receipt's language (`words`).
/// Built by `payment(...)` and `refund(...)`, which are pure.
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
                               width: Width = .wide, words: Words = .english) -> Receipt {
        var layout = ReceiptLayout(width: width.rawValue, words: words)
        layout.header(storeName: storeName, training: training)
        layout.left(words("receipt.payment"))
        layout.pair(words("receipt.date"), layout.timestamp(order.updatedAt, in: timeZone))
        layout.pair(words("receipt.order"), order.id.rawValue)
        layout.pair(words("receipt.wallet"), words.wallet(order.wallet))
        if let code = order.maskedCode { layout.pair(words("receipt.code"), code) }
        if let trade = order.gatewayTradeID { layout.pair(words("receipt.trade"), trade) }
        layout.pair(words("receipt.status"), words("receipt.status.\(order.status.rawValue)"))
        layout.rule()
        layout.pair(totalLabel(order.status, words), words.amount(order.amount), emphasized: true)
        layout.rule()
        layout.footer(training: training)
        return Receipt(lines: layout.lines, training: training, number: order.id.rawValue,
                       emphasized: layout.emphasized, width: width)
    }

    /// The receipt for a refund of `order`; `remaining` is what can still be refunded on it
    /// after this refund (as `Ledger.refundableRemainder` says).
    public static func refund(refund: Refund, order: Order, remaining: Money, storeName: String,
                              timeZone: TimeZone, training: Bool, width: Width = .wide, words: Words = .english) -> Receipt {
        var layout = ReceiptLayout(width: width.rawValue, words: words)
        layout.header(storeName: storeName, training: training)
        layout.left(words("receipt.refund"))
        layout.pair(words("receipt.date"), layout.timestamp(refund.updatedAt, in: timeZone))
        layout.pair(words("receipt.refund_number"), refund.id.rawValue)
        layout.pair(words("receipt.order"), order.id.rawValue)
        layout.pair(words("receipt.paid_on"), layout.timestamp(order.updatedAt, in: timeZone))
        layout.pair(words("receipt.wallet"), words.wallet(order.wallet))
        if let code = order.maskedCode { layout.pair(words("receipt.code"), code) }
        if let trade = order.gatewayTradeID { layout.pair(words("receipt.trade"), trade) }
        if let gatewayRefund = refund.gatewayRefundID { layout.pair(words("receipt.refund_ref"), gatewayRefund) }
        layout.pair(words("receipt.status"), words("receipt.refund_status.\(refund.status.rawValue)"))
        if !refund.reason.isEmpty { layout.pair(words("receipt.reason"), refund.reason) }
        layout.rule()
        layout.pair(words("receipt.order_total"), words.amount(order.amount))
        layout.pair(refundLabel(refund.status, words), words.amount(refund.amount), emphasized: true)
        layout.pair(words("receipt.left_to_refund"), words.amount(remaining))
        layout.rule()
        layout.footer(training: training)
        return Receipt(lines: layout.lines, training: training, number: refund.id.rawValue,
                       emphasized: layout.emphasized, width: width)
    }

    static func totalLabel(_ status: OrderStatus, _ words: Words) -> String {
        switch status {
        case .paid: words("receipt.total_paid")
        case .pending, .unknown: words("receipt.not_confirmed")
        case .declined, .cancelled, .expired: words("receipt.not_paid")
        }
    }

    static func refundLabel(_ status: RefundStatus, _ words: Words) -> String {
        switch status {
        case .refunded: words("receipt.refunded")
        case .failed: words("receipt.not_refunded")
        case .pending, .unknown: words("receipt.refund_not_confirmed")
        }
    }
}
