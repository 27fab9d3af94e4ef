import CheckoutCore
import Foundation
import Ledger
import Testing
import Till
import Words
@testable import TerminalUI

/// The till's, the ledger's and the gateway's errors, and the answers of a re-query, as a
/// cashier reads them in each language.
@Suite("Model: errors and answers in every language")
struct ModelErrorWordingTests {
    static let order = try! OrderID("S251122120000HHHHHH")
    static let hkd = Fixture.hkd

    static let ledgerErrors: [LedgerError] = [
        .cannotOpen(path: "/srv/till.db", reason: "EACCES"), .duplicateOrder(order), .orderNotFound(order),
        .orderIsFinal(order, status: .paid, requested: .cancelled), .orderNotPaid(.declined),
        .refundExceedsRemainder(requested: hkd(5000), remaining: hkd(3000)), .currencyMismatch(order: .hkd, requested: .cny),
        .amountNotPositive(hkd(0)), .refundNotFound(RefundID(order: order, sequence: 1)),
        .refundIsFinal(RefundID(order: order, sequence: 1), status: .refunded, requested: .failed),
        .dayAlreadyClosed(day: "2025-11-22", closedAt: Date(timeIntervalSince1970: 1_763_800_000)),
        .dayHasOpenOrders(day: "2025-11-22", orders: [order]), .dayChanged(day: "2025-11-22"),
        .notificationMismatch(order, "EAMOUNT"), .tradeUnconfirmed(order, trade: "4200001"), .foreignTrade(order, "EFOREIGN"),
        .refundUnbound(order, "EUNBOUND"), .ledgerReplaced(path: "/srv/till.db", marker: "/srv/till.id", isEmpty: true),
        .identityMarkerUnwritable(marker: "/srv/till.id", reason: "EROFS"), .diskNearlyFull(path: "/srv/till.db", freeBytes: 8192),
        .corrupt("EBADROW"), .serverUnreachable(server: "db", reason: "ECONNREFUSED"),
        .schemaTooNew(server: "db", found: 12, known: 9), .tillNameTaken(till: "counter", store: "tsimshatsui", host: "pos2"), .unknownTill("pos", known: ["counter"]),
        .importConflict(order),
    ] + [5, 13, 8, 10, 11, 19, 21, 1].map { LedgerError.storage(path: "/srv/till.db", code: $0, message: "ESQLITE") }
      + ["08006", "28P01", "23505", "40001", "53100", "XX000"].map { LedgerError.server(server: "db", sqlState: $0, message: "EPG") }

    static let tillErrors: [TillError] = ledgerErrors.map(TillError.ledger) + [
        .notRecorded(.diskNearlyFull(path: "/srv/till.db", freeBytes: 8192)), .orderNotFound(order),
        .unsupported(gateway: "wantu", what: "QR"), .inProgressElsewhere(order), .refundInProgressElsewhere(RefundID(order: order, sequence: 1)),
        .providerNotConfigured(order, provider: "paymax"), .notApplicable(.alreadySettled(order, .paid)),
        .notApplicable(.nothingToCancel(order, .expired)), .notApplicable(.paidNotCancellable(order, backOffice: "CloudPay")),
        .notApplicable(.paidNotCancellable(order, backOffice: nil)), .notApplicable(.notPaid(order, .pending)),
        .notApplicable(.fullyRefunded(order)), .gateway(.unsupported("QR")), .gateway(.noAnswer("ETIMEDOUT")),
        .gateway(.rejected(GatewayProblem(code: "40004", message: "NOTENOUGH"))), .gateway(.badAnswer("ESIGN")),
    ]

    static let answers: [String] = [Language.english, .traditionalChinese, .simplifiedChinese].flatMap { language -> [String] in
        let words = Words(language)
        return [
            words.answer(GatewayAnswer.cannotBeAsked(gateway: "cloudpay")),
            words.answer(GatewayAnswer.verdict(.notPaid)), words.answer(GatewayAnswer.settled(.unknown(.cannotCancel(nil)))),
            words.reason(Discrepancy.otherAmount(reported: hkd(1300), recorded: hkd(1230))),
            words.reason(Discrepancy.noLongerPaid(.notFound)),
            words.reason(Discrepancy.paidAtGateway(recorded: .declined, amount: hkd(1230), trade: "4200001")),
            words.summary(RefundReport.Outcome.refunded), words.summary(RefundReport.Outcome.failed(.recorded(nil))),
            words.summary(RefundReport.Outcome.unknown(.notSent)),
            words.summary(RefundReport.Outcome.processing(gatewayRefundID: "re_1", confirmationURL: nil)),
            words.summary(RefundReport.Outcome.processing(gatewayRefundID: "re_1", confirmationURL: "https://pay.example/c")),
        ]
    }

    /// What the fixtures pass in as others wrote it, and the names of commands and settings.
    static let theirWords: Set<String> = [
        "srv", "till", "tills", "all", "db", "id", "EACCES", "EAMOUNT", "EFOREIGN", "EUNBOUND", "EROFS", "EBADROW", "ECONNREFUSED", "ESQLITE", "EPG",
        "ETIMEDOUT", "NOTENOUGH", "ESIGN", "counter", "tsimshatsui", "pos", "wantu", "paymax", "cloudpay", "CloudPay", "QR", "X", "Z",
        "HK", "HKD", "CNY", "KiB", "SQLite", "PostgreSQL", "XX", "P", "shroff", "orders", "refunds", "refund", "status", "reason",
        "providers", "ledger", "url", "password_env", "password_file", "store", "re_", "https", "pay", "example", "c",
    ]

    @Test(arguments: [Language.english, .traditionalChinese, .simplifiedChinese])
    func everyErrorIsWorded(language: Language) {
        let words = Words(language)
        for error in Self.tillErrors {
            let text = words.reason(error)
            #expect(!text.isEmpty && !text.contains("{") && text.firstMatch(of: /^[a-z_]+(\.[a-z_]+)+/) == nil, "\(language): \(text)")
        }
    }

    @Test(arguments: [Language.traditionalChinese, .simplifiedChinese])
    func aChineseTillShowsNoErrorOrAnswerInEnglish(language: Language) {
        let words = Words(language)
        let answers = Self.answers.filter { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        #expect(answers.count >= 22)
        for text in Self.tillErrors.map(words.reason) + (language == .traditionalChinese ? answers.prefix(11) : answers.suffix(11)) {
            // Order and refund numbers mix letters and digits: they are not words.
            let latin = Set(text.matches(of: /[A-Za-z0-9_]+/).map { String($0.output) }.filter { !$0.contains(where: \.isNumber) })
            #expect(latin.isSubset(of: Self.theirWords), "\(language): \(latin.subtracting(Self.theirWords).sorted()) in \(text)")
        }
    }

    @Test func englishKeepsTheTillsOwnSentences() {
        for error in Self.tillErrors {
            guard case .notApplicable = error else { continue }
            // The English names a status in capitals, as the till's screens do.
            #expect(Words.english.reason(error).lowercased() == error.description.lowercased())
        }
        #expect(Words.english.reason(TillError.notRecorded(.diskNearlyFull(path: "/srv/till.db", freeBytes: 8192)))
            == TillError.notRecorded(.diskNearlyFull(path: "/srv/till.db", freeBytes: 8192)).description)
        for outcome: RefundReport.Outcome in [.refunded, .failed(.recorded(nil)), .unknown(.notSent), .processing(gatewayRefundID: "re_1", confirmationURL: "https://pay.example/c")] {
            #expect(Words.english.summary(outcome) == outcome.summary)
        }
        let discrepancy = Discrepancy.paidAtGateway(recorded: .declined, amount: Self.hkd(1230), trade: "4200001")
        #expect(Words.english.reason(discrepancy) == discrepancy.description.replacingOccurrences(of: "declined", with: "DECLINED"))
    }

    @Test func aMainlandCashierReadsWhyTheLedgerStoppedTheSale() {
        let text = Words(.simplifiedChinese).reason(TillError.notRecorded(.storage(path: "/srv/till.db", code: 13, message: "ESQLITE")))
        #expect(text == "订单无法写入账本，所以没有向支付平台发出任何请求，顾客没有被扣款。账本 /srv/till.db 无法增大：磁盘已满。请腾出空间，然后再试。")
    }
}
