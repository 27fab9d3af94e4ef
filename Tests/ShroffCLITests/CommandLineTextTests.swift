import Foundation
import Testing

/// Any UTF-8 text is a value: a subject or a reason given as `--name=value` whose value starts
/// with a combining mark, or with a dash, reaches the command as typed.
@Suite("Text values on the command line", .timeLimit(.minutes(1)))
struct CommandLineTextTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("--subject= followed by a combining accent is the subject, not an unknown option")
    func combiningMarkAfterEquals() async throws {
        let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--subject=\u{301}tea", "--json"])

        #expect(run.exitCode == 0, "\(run)")
        #expect(try run.json()[string: "subject"] == "\u{301}tea", "\(run)")
    }

    @Test("--reason=-x keeps its dash: a value, not an option")
    func dashAfterEquals() async throws {
        let paid = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--json"])
        let order = try #require(try paid.json()[string: "order"], "\(paid)")

        let refund = try await till.run(["refund", order, "--reason=-damaged", "--json"])

        #expect(refund.exitCode == 0, "\(refund)")
        #expect(try refund.json()[string: "status"] == "refunded", "\(refund)")
    }
}
