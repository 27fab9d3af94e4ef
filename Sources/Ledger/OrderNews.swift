/// What a ledger tells a till that waits on one order (`Ledger.news(of:)`): when to read the
/// order's row again, and whether it must keep reading it on its own.
public enum OrderNews: Sendable, Equatable {
    /// The ledger announces every notification applied to the order from now on, so the till
    /// may stop reading the row on its own. It reads it once now: one applied before this
    /// moment was not announced.
    case listening
    /// A notification for the order was committed: read its row.
    case changed
    /// The ledger cannot announce changes for now (its listening connection is down): read
    /// the row at the till's own interval until `.listening` comes again.
    case notListening
}
