import Foundation
import Testing

/// What a cashier mistypes is refused before anything is sent: exit 1, one clear line on
/// standard error, and no order in the ledger.
@Suite("Bad input changes nothing", .timeLimit(.minutes(1)))
struct BadInputTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// One mistake at the till and the words the refusal must contain.
    struct Mistake: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let says: String
        var testDescription: String { "shroff " + arguments.joined(separator: " ") }
    }

    static let badPayments: [Mistake] = [
        Mistake(arguments: ["pay", "--amount=-5", "--code", TillHome.wechatCode], says: "more than zero"),
        // ArgumentParser reads "-5" after a space as an option, so --amount has no value.
        Mistake(arguments: ["pay", "--amount", "-5", "--code", TillHome.wechatCode], says: "--amount"),
        Mistake(arguments: ["pay", "--amount", "0", "--code", TillHome.wechatCode], says: "more than zero"),
        Mistake(arguments: ["pay", "--amount", "12.345", "--code", TillHome.wechatCode], says: "2 decimals"),
        Mistake(arguments: ["pay", "--amount", "abc", "--code", TillHome.wechatCode], says: "not an amount"),
        Mistake(arguments: ["pay", "--amount", "99999999999999", "--code", TillHome.wechatCode], says: "largest sale"),
        Mistake(arguments: ["pay", "--amount", "12.30", "--code", String(TillHome.wechatCode.dropLast())], says: "scan again"),
        Mistake(arguments: ["pay", "--amount", "12.30", "--code", "1345678901234A6789"], says: "not a payment code"),
        Mistake(arguments: ["pay", "--amount", "12.30", "--code", "994567890123456789"], says: "not a WeChat Pay or Alipay"),
        Mistake(arguments: ["qr", "--amount", "abc"], says: "not an amount"),
        Mistake(arguments: ["qr", "--amount", "12.30", "--channel", "paypal"], says: "--channel"),
    ]

    @Test("a bad amount or code: exit 1, a clear message, no order", arguments: badPayments)
    func badPayment(_ mistake: Mistake) async throws {
        let run = try await till.run(mistake.arguments)

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains(mistake.says), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        // The code may be a customer's real one: a refusal never repeats it.
        for argument in mistake.arguments where argument.count >= 16 {
            #expect(!run.allOutput.contains(argument), "the code was echoed:\n\(run)")
        }
        try await expectNoOrders()
    }

    @Test("a bad amount with --json: exactly one JSON object with the error and exit_code 1")
    func badAmountJSON() async throws {
        let run = try await till.run(["pay", "--amount", "abc", "--code", TillHome.wechatCode, "--json"])

        #expect(run.exitCode == 1, "\(run)")
        let object = try run.json()
        #expect(object[string: "error"]?.contains("not an amount") == true, "\(run)")
        #expect(object[int: "exit_code"] == 1)
        try await expectNoOrders()
    }

    @Test("status with a malformed order number: exit 1, says it is not an order number")
    func statusMalformed() async throws {
        let run = try await till.run(["status", "S26-11!22"])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("is not an order number"), "\(run)")
        try await expectNoOrders()
    }

    @Test("refund of an order this till never made: exit 1, says there is no such order")
    func refundUnknown() async throws {
        let run = try await till.run(["refund", "S261122112517GXCNN9", "--reason", "test"])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("No order S261122112517GXCNN9"), "\(run)")
        try await expectNoOrders()
    }

    @Test("refund with an empty reason: exit 1, asks for one")
    func refundWithoutReasonText() async throws {
        let run = try await till.run(["refund", "S261122112517GXCNN9", "--reason", "  "])

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("--reason"), "\(run)")
    }

    static let parserErrors: [Mistake] = [
        Mistake(arguments: ["pay", "--amount", "12.30"], says: "--code"),
        Mistake(arguments: ["pay", "--code", TillHome.wechatCode], says: "--amount"),
        Mistake(arguments: ["qr"], says: "--amount"),
        Mistake(arguments: ["refund", "S261122112517GXCNN9"], says: "--reason"),
        Mistake(arguments: ["refund", "--reason", "test"], says: "<order>"),
        Mistake(arguments: ["status"], says: "<order>"),
        Mistake(arguments: ["reconcile"], says: "--from"),
        Mistake(arguments: ["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--tip", "5"], says: "--tip"),
        Mistake(arguments: ["sell"], says: "sell"),
        Mistake(arguments: ["orders", "--date", "yesterday"], says: "YYYY-MM-DD"),
        Mistake(arguments: ["reconcile", "--from", "2026-02-30"], says: "YYYY-MM-DD"),
    ]

    @Test("missing or unknown arguments exit 1 (not ArgumentParser's 64) and name the problem", arguments: parserErrors)
    func parserError(_ mistake: Mistake) async throws {
        let run = try await till.run(mistake.arguments)

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains(mistake.says), "\(run)")
        try await expectNoOrders()
    }

    @Test("a parser error with --json is one JSON object too")
    func parserErrorJSON() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--json"])

        #expect(run.exitCode == 1, "\(run)")
        let object = try run.json()
        #expect(object[string: "error"]?.contains("--code") == true, "\(run)")
        #expect(object[int: "exit_code"] == 1)
    }

    /// The training ledger, if it exists at all, holds no order.
    private func expectNoOrders(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let orders = try await till.run(["orders", "--json"])
        #expect(orders.exitCode == 0, "\(orders)", sourceLocation: sourceLocation)
        #expect(try orders.json()[objects: "orders"]?.count == 0, "\(orders)", sourceLocation: sourceLocation)
    }
}
