import CheckoutCore

/// What a front end shows while a checkout runs: each step as it happens.
public enum CheckoutProgress: Sendable, Equatable {
    /// The order is written down; its number is final.
    case recorded(OrderID)
    /// A request is going to the gateway ("pay", "query", "cancel", "close", "create-qrcode").
    case sending(String)
    /// Draw this payload as a QR code for the customer.
    case showQR(String)
    /// A short link (`PayLink`) to the payload of the `showQR` that follows: drawn instead of
    /// it where it does not fit the screen, or is an HTML form.
    case payLink(String)
    /// Waiting before the next query: why, and how long the checkout has been running.
    /// `notifications` counts the notifications the ledger holds for the order when the
    /// gateway cannot be asked and the till waits on them alone; nil when it queries.
    case waiting(reason: WaitReason, elapsed: Duration, deadline: Duration, queries: Int, notifications: Int? = nil)
    case finished(CheckoutResult)
}

/// Why a checkout is waiting, as a value the front ends word in the cashier's language.
public enum WaitReason: Sendable, Equatable {
    /// A QR order: the customer has not scanned and paid yet.
    case customerScanning
    /// A scanned code: the customer may be confirming on the phone.
    case confirming
    /// A gateway that cannot be asked: its notification is awaited (`gateway` as its merchants write it).
    case notification(gateway: String)
    /// The gateway's last answer left the outcome open.
    case doubt(Doubt)
}

/// The end of one checkout: the order as the ledger now holds it, and how it ended.
public struct CheckoutReport: Sendable {
    public var order: Order
    public var result: CheckoutResult
    /// Ledger writes that failed after the order was recorded. The gateway outcome above still
    /// stands; the owner should look at the ledger.
    public var ledgerProblems: [String]
}
