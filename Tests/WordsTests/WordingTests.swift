import CheckoutCore
import Foundation
import Testing
import TestSupport
@testable import Words

/// What a Hong Kong or mainland cashier reads: the wallets' own names, the script of each
/// variant, amounts and dates in each language's usual form.
struct WordingTests {
    static let hant = Words(.traditionalChinese)
    static let hans = Words(.simplifiedChinese)

    @Test func walletsHaveTheNamesCustomersKnow() {
        #expect(WordingTests.hant.wallet(.wechat) == "微信支付")
        #expect(WordingTests.hant.wallet(.alipay) == "支付寶")
        #expect(WordingTests.hans.wallet(.alipay) == "支付宝")
        #expect(Words.english.wallet(.alipay) == "Alipay")
    }

    @Test func hongKongWordingIsUsed() throws {
        let all = try #require(Catalog.bundled["zh-Hant"]).entries.values.map(\.translation).joined(separator: "\n")
        for word in ["收銀", "退款", "支付寶", "微信支付"] { #expect(all.contains(word), "zh-Hant never says \(word)") }
        // Mainland and Taiwan words a Hong Kong cashier would not use.
        for word in ["收款码", "訂單號碼", "網路", "列印"] { #expect(!all.contains(word), "zh-Hant says \(word)") }
    }

    /// A Chinese printer in Big5 or GB mode, and a CJK terminal, draw ·, — and … two columns
    /// wide where the layout counts one; the Chinese catalogs use forms every device draws alike.
    @Test(arguments: ["zh-Hant", "zh-Hans"])
    func chineseMessagesUseNoCharacterOfAmbiguousWidth(code: String) throws {
        for (key, entry) in try #require(Catalog.bundled[code]).entries.sorted(by: { $0.key < $1.key }) {
            let ambiguous = entry.translation.filter { "·—…¥".contains($0) }
            #expect(ambiguous.isEmpty, "\(code).po: \(key) has \(ambiguous)")
        }
    }

    @Test func theTrainingHeaderSaysPlainlyThatNoRealMoneyMoves() {
        #expect(WordingTests.hant("header.training") == "培訓模式：沒有真錢進出")
        #expect(WordingTests.hans("header.training") == "培训模式：没有真钱进出")
    }

    /// Each variant is checked with an independent table: Python's GB2312 codec holds
    /// simplified characters only, its Big5 codec traditional ones only; characters both hold
    /// in different meanings are listed by hand.
    @Test func eachVariantKeepsToItsOwnScript() throws {
        let hant = try #require(Catalog.bundled["zh-Hant"]).entries.values.map(\.translation).joined()
        let hans = try #require(Catalog.bundled["zh-Hans"]).entries.values.map(\.translation).joined()
        let han = { (text: String) in String(text.unicodeScalars.filter { (0x3400...0x9FFF).contains($0.value) }.map(Character.init)) }
        #expect(try ScriptCheck.unencodable(han(hant), codec: "big5").isEmpty, "zh-Hant has characters Big5 lacks (simplified?)")
        #expect(try ScriptCheck.unencodable(han(hans), codec: "gb2312").isEmpty, "zh-Hans has characters GB2312 lacks (traditional?)")
        // Pairs both character sets hold: the simplified form is also a traditional character of
        // another meaning (后 queen, 里 village), never right in the words the till uses. (台 in
        // 平台, 只 in 只有 and 面 in 畫面 are Traditional too, so they are not listed.)
        let pairs: [(traditional: Character, simplified: Character)] = [
            ("後", "后"), ("裡", "里"), ("幹", "干"), ("於", "于"), ("準", "准"), ("製", "制"), ("餘", "余"), ("鬆", "松"),
            ("範", "范"), ("衝", "冲"),
        ]
        for pair in pairs {
            let simplifiedInHant = hant.contains(pair.simplified), traditionalInHans = hans.contains(pair.traditional)
            #expect(!simplifiedInHant, "zh-Hant uses the simplified \(pair.simplified)")
            #expect(!traditionalInHans, "zh-Hans uses the traditional \(pair.traditional)")
        }
    }

    @Test func amountsReadNaturallyAndKeepISOCodesBesideAnotherCurrency() {
        let hkd = Money(minorUnits: 1230, currency: .hkd)
        let cny = Money(minorUnits: 1120, currency: .cny)
        #expect(Words.english.amount(hkd) == "HKD 12.30")
        #expect(WordingTests.hant.amount(hkd) == "HK$12.30")
        #expect(WordingTests.hans.amount(cny) == "￥11.20")
        #expect(WordingTests.hant.amount(Money(minorUnits: 100, currency: Currency(code: "USD")!)) == "USD 1.00")
        #expect(Words.english.amount(hkd, about: cny) == "HKD 12.30  (about CNY 11.20)")
        #expect(WordingTests.hant.amount(hkd, about: cny) == "HKD 12.30（約 CNY 11.20）")
    }

    @Test func datesAreInTheStoresTimeZoneInEachLanguagesForm() {
        // 2026-12-07 17:30 UTC is already the 8th in Hong Kong.
        let date = Date(timeIntervalSince1970: 1_796_664_600)
        let hongKong = TimeZone(identifier: "Asia/Hong_Kong")!
        #expect(Words.english.dateTime(date, in: hongKong) == "2026-12-08 01:30")
        #expect(WordingTests.hant.dateTime(date, in: hongKong) == "2026年12月8日 01:30")
        #expect(WordingTests.hans.day("2026-01-05") == "2026年1月5日")
    }

    @Test func statusesAreWordedInEachLanguage() {
        #expect(Words.english.status(.paid) == "PAID")
        #expect(WordingTests.hant.status(.unknown) == "結果未明")
        #expect(WordingTests.hans.status(.declined) == "已拒绝")
    }
}

/// The core's refusals, worded in Words: English exactly as the core has always said them.
struct ReasonWordingTests {
    static let moneyErrors: [MoneyError] = [
        .empty, .notANumber("abc"), .notPositive("0"), .tooManyDecimals("1.234", currency: .hkd),
        .tooManyDecimals("1.5", currency: Currency(code: "JPY")!), .tooLarge("99999999999", maximum: .maximum(in: .hkd)),
    ]
    static let codeErrors: [PaymentCodeError] = [.empty, .notDigits, .unknownWallet, .wrongLength(.wechat, got: 17), .wrongLength(.alipay, got: 12)]

    @Test func englishIsWhatTheCoreSays() {
        for error in Self.moneyErrors { #expect(Words.english.reason(error) == error.description) }
        for error in Self.codeErrors { #expect(Words.english.reason(error) == error.description) }
        for reason in DeclineReason.allCases { #expect(Words.english.advice(reason) == reason.advice) }
        let cancels: [CancelReason] = [.timedOut(seconds: 45), .cashier, .leftOver, .creationFailed(.noClearAnswer("timed out")), .unspecified]
        for cancel in cancels { #expect(Words.english.reason(cancel) == cancel.description) }
        for problem in [GatewayProblem(code: "SIGNERROR", message: "签名错误"), .unsupported] {
            #expect(Words.english.reason(problem) == problem.description)
        }
        let price = Money(minorUnits: 1230, currency: .hkd)
        let results: [CheckoutResult] = [
            .paid(PaymentConfirmation(gatewayTradeID: "T1", amount: price)),
            .paid(PaymentConfirmation(gatewayTradeID: "T1", amount: price, received: Money(minorUnits: 1229, currency: .hkd))),
            .underpaid(PaymentConfirmation(gatewayTradeID: "T1", amount: price, received: Money(minorUnits: 1000, currency: .hkd))),
            .declined(Decline(.codeExpired, gatewayMessage: "AUTHCODEEXPIRE")), .cancelled(.cashier),
            .expired(closed: true), .expired(closed: false), .unknown(.cannotCancel(nil)),
            .rejected(GatewayProblem(code: "SIGNERROR", message: "签名错误")),
        ]
        for result in results { #expect(Words.english.summary(result) == result.summary) }
    }

    @Test func chineseNamesTheWalletAndKeepsTheFigures() {
        let hant = Words(.traditionalChinese)
        #expect(hant.reason(PaymentCodeError.wrongLength(.alipay, got: 12)).contains("支付寶付款碼有 12 位數字"))
        #expect(hant.reason(MoneyError.tooManyDecimals("1.234", currency: .hkd)).contains("HKD 只有 2 位小數（輸入了 1.234）"))
    }

    @Test func aGatewaysRefusalIsWordedAroundWhatTheGatewaySaid() {
        let problem = GatewayProblem(code: "SIGNERROR", message: "签名错误")
        #expect(WordingTests.hant.reason(problem) == "支付平台拒絕了這個要求（SIGNERROR：签名错误）。請檢查設定檔中的支付平台設定（帳戶、密鑰、貨幣）。")
        #expect(WordingTests.hans.summary(.rejected(problem)).hasPrefix("没有扣款：支付平台拒绝了这个请求（SIGNERROR：签名错误）"))
    }
}

/// The reasons the core hands over as values, worded in each language: the gateway's own words
/// kept, nothing left in English on a Chinese till, and English as the ledger's notes say it.
struct ValueReasonWordingTests {
    static func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }
    static let problem = GatewayProblem(code: "40004", message: "NOTENOUGH")
    static let doubts: [Doubt] = [
        .userPaying, .notPaid, .notFound, .noClearAnswer("NOTENOUGH"), .refused(problem), .declined(gatewayMessage: "NOTENOUGH"),
        .underpaid(received: hkd(1000), amount: hkd(1230)), .saysPaid, .notSent,
    ]
    static let unknowns: [UnknownReason] = Settling.allCases.flatMap { settling -> [UnknownReason] in
        [.notSettled(settling, why: "NOTENOUGH"), .settleRefused(settling, problem), .paidUnconfirmed(settling, seconds: 20),
         .paidThenDoubted(settling, .notPaid)]
    } + [
        .amountMismatch(reported: hkd(1300), ordered: hkd(1230)),
        .underpaidMismatch(received: hkd(1000), reported: hkd(1300), ordered: hkd(1230)),
        .notCreatedNorClosable(.notFound), .cannotCancel(.userPaying), .cannotCancel(nil),
    ]
    static let refusals: [RefundRefusal] = [.declined("NOTENOUGH"), .rejected(problem), .recorded(nil)]

    static func wordings(_ words: Words) -> [String] {
        doubts.map(words.reason) + unknowns.map(words.reason) + refusals.map(words.reason)
            + doubts.map { words.reason(CancelReason.creationFailed($0)) } + unknowns.map { words.summary(.unknown($0)) }
            + [words.answer(.paid(PaymentConfirmation(gatewayTradeID: "4200001", amount: hkd(1230)))),
               words.answer(.paid(PaymentConfirmation(gatewayTradeID: "4200001", amount: hkd(1230), received: hkd(1229))))]
    }

    @Test func englishIsWhatTheLedgersNotesSay() {
        for doubt in Self.doubts { #expect(Words.english.reason(doubt) == doubt.description) }
        for unknown in Self.unknowns { #expect(Words.english.reason(unknown) == unknown.description) }
        for refusal in Self.refusals + [.recorded("refused: 40004")] { #expect(Words.english.reason(refusal) == refusal.description) }
        for doubt in Self.doubts {
            let cancel = CancelReason.creationFailed(doubt)
            #expect(Words.english.reason(cancel) == cancel.description)
        }
    }

    @Test(arguments: [Language.english, .traditionalChinese, .simplifiedChinese])
    func everyReasonIsWordedWithItsFiguresAndTheGatewaysWords(language: Language) {
        let words = Words(language)
        for text in Self.wordings(words) {
            #expect(!text.isEmpty && !text.contains("{") && text.firstMatch(of: /^[a-z_]+(\.[a-z_]+)+/) == nil, "\(language): \(text)")
        }
        #expect(words.reason(UnknownReason.amountMismatch(reported: Self.hkd(1300), ordered: Self.hkd(1230)))
            .contains(words.amount(Self.hkd(1300))))
        #expect(words.reason(UnknownReason.settleRefused(.close, Self.problem)).contains("40004"))
        #expect(words.reason(UnknownReason.paidUnconfirmed(.cancel, seconds: 20)).contains("20"))
        #expect(words.reason(Doubt.noClearAnswer("NOTENOUGH")).contains("NOTENOUGH"))
    }

    @Test(arguments: [Language.traditionalChinese, .simplifiedChinese])
    func aChineseTillSaysNoReasonInEnglish(language: Language) {
        let words = Words(language)
        for text in Self.wordings(words) {
            let latin = Set(text.matches(of: /[A-Za-z]+/).map { String($0.output) })
            #expect(latin.isSubset(of: ["NOTENOUGH", "HK", "HKD", "QR", "shroff", "status"]), "\(language): \(text)")
            #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(language): \(text)")
        }
        // The two ways to end an order read differently.
        #expect(words.reason(UnknownReason.notSettled(.cancel, why: "x")) != words.reason(UnknownReason.notSettled(.close, why: "x")))
    }

    @Test func aHongKongCashierReadsWhyTheOutcomeIsUnknown() {
        let reason = UnknownReason.amountMismatch(reported: Self.hkd(1300), ordered: Self.hkd(1230))
        #expect(Words(.traditionalChinese).reason(reason) == "支付平台報稱已付 HK$13.00，但訂單金額是 HK$12.30")
        #expect(Words(.simplifiedChinese).reason(reason).hasPrefix("支付平台报称已付"))
    }
}
