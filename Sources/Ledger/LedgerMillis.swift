import Foundation

extension Date {
    /// The date as whole milliseconds since 1970 (UTC), as every ledger stores it.
    package var ledgerMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    package init(ledgerMillis: Int64) {
        self.init(timeIntervalSince1970: Double(ledgerMillis) / 1000)
    }
}
