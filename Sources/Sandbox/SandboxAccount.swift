import CheckoutCore
import Foundation

/// The merchant the sandbox plays Wantu for: the accounts a request must name, the key both
/// sides sign with, the store's currency and the time zone Wantu writes dates in.
///
/// The sandbox serves exactly one account; a request naming any other gets 302 NO_PRIVILEGE.
public struct SandboxAccount: Sendable {
    public var merchantAccount: String
    public var storeAccount: String
    /// The MD5 signing key. Never logged, never part of an answer or an error.
    public var key: String
    /// The only `fee_type` the store takes; any other gets 509 UNSUPPORTED_CURRENCY.
    public var currency: Currency
    /// The zone of `send_time`, `trade_time`, `date_added` and the order-list window.
    public var timeZone: TimeZone

    public init(merchantAccount: String, storeAccount: String, key: String, currency: Currency, timeZone: TimeZone) {
        self.merchantAccount = merchantAccount
        self.storeAccount = storeAccount
        self.key = key
        self.currency = currency
        self.timeZone = timeZone
    }

    /// The published training credentials. They are not secrets: the sandbox is public, moves
    /// no money, and cashiers in training mode and the test suite both use them.
    public static let training = SandboxAccount(
        merchantAccount: TrainingCredentials.wantuMerchantAccount,
        storeAccount: TrainingCredentials.wantuStoreAccount,
        key: TrainingCredentials.wantuKey,
        currency: .hkd,
        timeZone: TimeZone(identifier: "Asia/Hong_Kong") ?? TimeZone(secondsFromGMT: 8 * 3600)!
    )
}
