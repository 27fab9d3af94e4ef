/// Keeps payment codes out of the ledger even when a caller slips one in.
enum SecretMask {
    /// At most the first four and last four digits of `code`, the others as `*`.
    /// A code already masked (eight digits or fewer) is returned as it is.
    static func maskCode(_ code: String) -> String {
        let digitCount = code.reduce(0) { $0 + ($1.isASCIIDigit ? 1 : 0) }
        guard digitCount > 8 else { return code }
        var index = 0
        return String(code.map { character -> Character in
            guard character.isASCIIDigit else { return character }
            defer { index += 1 }
            return index < 4 || index >= digitCount - 4 ? character : "*"
        })
    }

    /// `text` with every run of digits shaped like a payment code masked: WeChat Pay's
    /// 18 digits starting 10–15, Alipay's 16–24 digits starting 25–30 (the rules of
    /// `PaymentCode`). Longer or differently led numbers (gateway trade numbers) stay.
    static func scrub(_ text: String) -> String {
        var result = ""
        var run = ""
        func flush() {
            result += looksLikePaymentCode(run) ? maskCode(run) : run
            run = ""
        }
        for character in text {
            if character.isASCIIDigit {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    private static func looksLikePaymentCode(_ digits: String) -> Bool {
        guard let prefix = Int(digits.prefix(2)) else { return false }
        switch prefix {
        case 10...15: return digits.count == 18
        case 25...30: return (16...24).contains(digits.count)
        default: return false
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
