import CheckoutCore

/// Keeps payment codes out of the ledger even when a caller slips one in.
package enum SecretMask {
    /// `text` with every run of digits shaped like a payment code masked: WeChat Pay's
    /// 18 digits starting 10–15, Alipay's 16–24 digits starting 25–30 (the rules of
    /// `PaymentCode`). Longer or differently led numbers (gateway trade numbers) stay.
    package static func scrub(_ text: String) -> String {
        var result = ""
        var run = ""
        func flush() {
            result += looksLikePaymentCode(run) ? PaymentCode.mask(run) : run
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
