import CheckoutCore
import Testing

@Suite("Payment codes are checked before any request and never shown whole")
struct PaymentCodeTests {
    @Test(arguments: [("134642301183243245", "134642301183243245"), ("104642301183243245", "104642301183243245"),
                      ("154642301183243245", "154642301183243245"), ("134642301183243245\n", "134642301183243245"),
                      ("\t134642301183243245", "134642301183243245")])
    func weChatCodes(text: String, digits: String) throws {
        let code = try PaymentCode(scanned: text)
        #expect(code.wallet == .wechat)
        // A scanner's Enter or Tab is not part of the code.
        #expect(code.secretDigits == digits)
    }

    @Test(arguments: ["2812345678901234", "281234567890123456", "301234567890123456789012", "251234567890123456"])
    func alipayCodes(text: String) throws {
        #expect(try PaymentCode(scanned: text).wallet == .alipay)
    }

    @Test(arguments: [
        ("", PaymentCodeError.empty),
        ("   ", .empty),
        ("13464230118324324", .wrongLength(.wechat, got: 17)),   // a truncated scan
        ("1346423011832432451", .wrongLength(.wechat, got: 19)),
        ("281234567890123", .wrongLength(.alipay, got: 15)),
        ("3012345678901234567890123", .wrongLength(.alipay, got: 25)),
        ("164642301183243245", .unknownWallet),                 // 16 is not a WeChat prefix
        ("624642301183243245123", .unknownWallet),              // UnionPay is not taken
        ("1346423011832432a5", .notDigits),
        ("134642301183 243245", .notDigits),
        ("１３4642301183243245", .notDigits),                   // full-width digits from an IME
    ])
    func refusedCodes(text: String, error: PaymentCodeError) {
        #expect(throws: error) { try PaymentCode(scanned: text) }
    }

    @Test func printedFormsAreMasked() throws {
        let code = try PaymentCode(scanned: "134642301183243245")
        #expect(code.masked == "1346**********3245")
        #expect("\(code)" == code.masked)
        #expect(String(reflecting: code).contains("134642301183243245") == false)
    }

    @Test(arguments: [
        ("134642301183243245", "1346**********3245"),
        ("code 1346-4230-1183-2432-45", "code 1346-****-****-**32-45"),
        ("1346**********3245", "1346**********3245"),
        ("12345678", "12345678"),
        ("no digits", "no digits"),
    ])
    func maskingShowsFourDigitsEachEndAndChangesNothingTwice(text: String, masked: String) {
        #expect(PaymentCode.mask(text) == masked)
        #expect(PaymentCode.mask(masked) == masked)
    }

    @Test func refusalsNeverEchoTheCode() {
        for text in ["13464230118324324", "1346423011832432a5", "164642301183243245"] {
            do {
                _ = try PaymentCode(scanned: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(!error.description.contains("4642301"))
                #expect(error.description.contains("scan") || error.description.contains("Scan") || error.description.contains("code"))
            }
        }
    }
}
