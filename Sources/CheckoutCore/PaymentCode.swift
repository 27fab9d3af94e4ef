/// The wallet a customer pays with.
public enum Wallet: String, Sendable, CaseIterable, Codable {
    case wechat
    case alipay

    /// The name a cashier and a customer know.
    public var displayName: String {
        switch self {
        case .wechat: "WeChat Pay"
        case .alipay: "Alipay"
        }
    }
}

/// A payment code (auth code) read from a customer's phone.
///
/// It is a bearer token for about a minute: its digits are reachable only through
/// `secretDigits`, for the gateway's request, and every printed form is masked.
public struct PaymentCode: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Which wallet issued the code, told by its prefix.
    public let wallet: Wallet
    private let digits: String

    /// Checks a scanned or typed code before any network call.
    ///
    /// WeChat Pay: 18 digits starting 10–15. Alipay: 16–24 digits starting 25–30.
    /// Surrounding whitespace (a scanner's Enter or Tab) is ignored; nothing else is.
    public init(scanned: String) throws(PaymentCodeError) {
        let code = scanned.trimmingWhitespace()
        guard !code.isEmpty else { throw .empty }
        guard code.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }) else {
            throw .notDigits
        }
        let prefix = Int(code.prefix(2)) ?? -1
        switch prefix {
        case 10...15:
            guard code.count == 18 else { throw .wrongLength(.wechat, got: code.count) }
            wallet = .wechat
        case 25...30:
            guard (16...24).contains(code.count) else { throw .wrongLength(.alipay, got: code.count) }
            wallet = .alipay
        default:
            throw .unknownWallet
        }
        digits = code
    }

    /// The full code, for the gateway request only. Never log, store or show it.
    public var secretDigits: String { digits }

    /// The first four and last four digits, the rest as `*`: safe for screens, logs and the ledger.
    public var masked: String { Self.mask(digits) }

    /// `text` with at most its first four and last four digits showing, every other digit as
    /// `*` and any other character left as it is: the one way a payment code is masked, for
    /// a code in hand or one that may have slipped into a log line or a record.
    ///
    /// A text of eight digits or fewer (a code masked already, say) is returned as it is, so
    /// masking twice changes nothing.
    public static func mask(_ text: String) -> String {
        let digitCount = text.reduce(0) { $0 + ($1.isASCIIDigit ? 1 : 0) }
        guard digitCount > 8 else { return text }
        var index = 0
        return String(text.map { character -> Character in
            guard character.isASCIIDigit else { return character }
            defer { index += 1 }
            return index < 4 || index >= digitCount - 4 ? character : "*"
        })
    }

    public var description: String { masked }
    public var debugDescription: String { "PaymentCode(\(wallet.rawValue), \(masked))" }
}

/// Why a scanned code was refused before anything was sent. Messages never echo the code.
public enum PaymentCodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notDigits
    case unknownWallet
    case wrongLength(Wallet, got: Int)

    public var description: String {
        switch self {
        case .empty:
            return "No payment code was read. Scan the code on the customer's phone."
        case .notDigits:
            return "That is not a payment code (it has characters other than digits). Scan the code on the customer's phone again."
        case .unknownWallet:
            return "That code is not a WeChat Pay or Alipay payment code. Ask the customer to open the payment code in WeChat Pay or Alipay."
        case .wrongLength(let wallet, let got):
            let expected = wallet == .wechat ? "18 digits" : "16 to 24 digits"
            return "The \(wallet.displayName) code read has \(got) digits; it should have \(expected). The scan was cut short: scan again."
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
