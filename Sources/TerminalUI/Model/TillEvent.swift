import CheckoutCore
import Foundation
import Ledger
import Owner
import Till

/// Everything that can happen to the till: keys and scans, time passing, and the answers of
/// the work `TillCommand`s started. `TillState.handle(_:)` is the only thing that reads them.
public enum TillEvent: Sendable {
    case input(ScanInput)
    /// The scanner's own device came, went, or sent something that is not a scan.
    case scanner(ScannerStatus)
    case resized(TerminalSize)
    /// Time passed: `now` on the monotonic clock (counts down deadlines), `wall` for the clock shown.
    case tick(now: Duration, wall: Date)
    case checkout(CheckoutProgress)
    case checkoutFinished(CheckoutReport)
    /// The checkout could not start or run.
    case checkoutFailed(TillError)
    /// The history's first page (`HistoryView.batch` lines at most), newest first.
    case history([OrderLine])
    /// The next page of the history, after the order `after` names.
    case moreHistory([OrderLine], after: OrderCursor)
    case refundFinished(RefundReport)
    case refundFailed(TillError)
    case requeried(StatusReport)
    case requeryFailed(TillError)
    case pinChecked(PINCheck)
    case report(DayReport)
    case dayClosed(DayReport)
    case rate(ExchangeRate?)
    /// A receipt went to its printer or file: nil when it did, else why not.
    case receiptPrinted(String?)
}

/// Work the till asks its runtime to do. The state never does I/O itself.
public enum TillCommand: Sendable, Equatable {
    /// Charge a scanned code. The code is never logged or shown.
    case payByCode(Money, PaymentCode, subject: String)
    case payByQR(Money, Wallet, subject: String)
    /// The cashier confirmed Esc: stop waiting and cancel or close the order at the gateway.
    case cancelCheckout
    /// The history's first page: today's orders, or every day's matching `search`.
    case loadHistory(search: String?)
    /// The history's next page, after the last order shown.
    case loadMoreHistory(search: String?, after: OrderCursor)
    case requery(OrderID)
    case checkPIN(String)
    /// Refund `Money` (all that is left when nil) of a paid order.
    case refund(OrderID, Money?, reason: String)
    case loadReport
    case closeDay
    case loadRate
    case printReceipt(Receipt)
    case quit
}

/// One order as the history lists it: the order and how much of it has been refunded.
public struct OrderLine: Sendable, Equatable {
    public var order: Order
    public var refunded: Money

    public init(order: Order, refunded: Money) {
        self.order = order
        self.refunded = refunded
    }

    /// What can still be refunded: nothing unless the order is paid.
    public var refundable: Money {
        order.status == .paid ? order.amount - refunded : .zero(order.amount.currency)
    }
}
