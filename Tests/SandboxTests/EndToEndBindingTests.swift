import CheckoutCore
import Foundation
import Ledger
import Sandbox
import Testing
import TestSupport
import Till
import WantuGateway

/// The sandbox's answers about something else than the request, and its notifications that
/// name only the trade, through the real till and gateway over HTTP on 127.0.0.1.
@Suite struct EndToEndBindingTests {
    static let mixUps: [(Int64, [String])] = [(12_12, ["order"]), (12_13, ["store account", EndToEndTill.account.storeAccount])]

    @Test(arguments: mixUps)
    func aSuccessAboutSomethingElseIsNotBelievedUntilAQueryAboutOurOrderSaysPaid(amount: Int64, words: [String]) async throws {
        try await EndToEndTill.run { till in
            let report = try await till.pay(amount)

            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(report.result == .paid(PaymentConfirmation(gatewayTradeID: atSandbox.tradeID, amount: EndToEndTill.hkd(amount),
                                                               paidAt: atSandbox.tradeTime)))
            #expect(atSandbox.pospayCalls == 1)
            #expect(atSandbox.queryCalls == 1, "the paid answer about something else was believed without a query")
            let attempts = try till.ledger.attempts(for: report.order.id)
            #expect(attempts.map(\.operation) == [.pay, .query])
            let pay = try #require(attempts.first?.outcome)
            #expect(pay.hasPrefix("in doubt"), "\(pay)")
            for word in words + (amount == 12_12 ? [report.order.id.rawValue] : []) {
                #expect(pay.contains(word), "the attempt log does not say what differed: \(pay)")
            }
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func theSandboxMixesUpOnlyThePospayAnswerOfThoseScenarios() async throws {
        let h = SandboxHarness()
        let order = await h.pospay("1212", order: "S240308090000MIX120")
        #expect(order.verified && order.code == 200)
        #expect(order.text("out_trade_no") == "S240308090000MIX121")
        let store = await h.pospay("1213", order: "S240308090000MIX130")
        #expect(store.verified && store.code == 200)
        #expect(store.text("out_trade_no") == "S240308090000MIX130")
        #expect(store.text("store_account") != nil && store.text("store_account") != h.account.storeAccount)
        for number in ["S240308090000MIX120", "S240308090000MIX130"] {
            let query = await h.query(number)
            #expect(query.text("out_trade_no") == number && query.text("store_account") == h.account.storeAccount)
            #expect(query.text("trade_status") == "SUCCESS")
        }
    }

    @Test func aTradeIsLookedUpAtTheSandboxByItsNumberAlone() async throws {
        try await EndToEndTill.run { till in
            // ..14: user paying, then paid 8 s later; the till's second query finds it paid.
            let report = try await till.pay(12_14)
            guard case .paid(let confirmation) = report.result else { Issue.record("\(report.result)"); return }
            let queriesBefore = try #require(await till.atSandbox(report.order)).queryCalls

            let lookup = await till.gateway.lookUp(trade: confirmation.gatewayTradeID)
            #expect(lookup == .found(orderID: report.order.id, .paid(confirmation)))
            #expect(try #require(await till.atSandbox(report.order)).queryCalls == queriesBefore + 1)

            // A trade the sandbox never made: not found under either wallet.
            #expect(await till.gateway.lookUp(trade: "100020990101000000000001") == .notFound)
        }
    }
}
