import Foundation
import Testing

extension TillHome {
    /// A configuration for a store in yuan using the aggregator's simulator on `sandboxPort`
    /// with its public training credentials; callbacks go to a receiver on `notifyPort`.
    static func aggregatorConfig(sandboxPort: Int, notifyPort: Int = 9, checkout: String = TillHome.shortTimeouts,
                                 extra: String = "") -> String {
        """
        [store]
        name = "CLI Noodle Bar"
        currency = "CNY"
        timezone = "Asia/Shanghai"
        ledger = "ledger.sqlite"

        [checkout]
        provider = "aggregator"
        \(checkout)

        [providers.aggregator]
        base_url = "http://127.0.0.1:\(sandboxPort)/aggregator"
        appid = "gpu0000000001"
        secret = "shroff-aggregator-training-secret"
        notify_url = "http://127.0.0.1:\(notifyPort)/notify/aggregator"
        return_url = "http://127.0.0.1:\(notifyPort)/"
        \(extra)
        """
    }
}

/// `provider = "aggregator"` from the command line, against `shroff sandbox` and `shroff
/// notify-server` running as their own processes.
@Suite("The aggregator from the command line", .timeLimit(.minutes(2)))
struct AggregatorCLITests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("shroff qr: the customer pays, PAID; a refund is refused with the reason and nothing is sent")
    func paidThenRefundRefused() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.write("store/config.toml", TillHome.aggregatorConfig(
                sandboxPort: sandbox.port, checkout: "poll_interval_s = 1\npay_timeout_s = 2\nrequest_timeout_s = 2\nqr_timeout_s = 30"))
            let qr = try till.start(["qr", "--amount", "12.30", "--channel", "wechat", "--config", config])
            let order = try await qr.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await qr.waitForStderr(containing: "Waiting:")

            #expect(try sandbox.customerPays(order) == 200)
            let run = try await qr.finish(within: .seconds(30))
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("Order \(order): PAID CNY 12.30"), "\(run)")

            let requestsBefore = sandbox.logLines(containing: ["order_no=\(order)"]).count
            let refund = try await till.run(["refund", order, "--reason", "changed mind", "--config", config])
            #expect(refund.exitCode != 0, "\(refund)")
            #expect((refund.stdout + refund.stderr).contains("refund this order in the aggregator's merchant back office"), "\(refund)")
            #expect((refund.stdout + refund.stderr).contains("nothing was sent"), "\(refund)")
            #expect(sandbox.logLines(containing: ["order_no=\(order)"]).count == requestsBefore)
            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(try orders.json()[objects: "orders"]?.first?[string: "status"] == "paid", "\(orders)")
        }
    }

    @Test("a QR order nobody pays expires open; paid late, the callback flags it in shroff orders")
    func paidAfterExpiryIsFlagged() async throws {
        try await till.withExternalSandbox { sandbox in
            try await till.withNotifyServer(for: sandbox, checkout: "", configuration: {
                TillHome.aggregatorConfig(sandboxPort: sandbox.port, notifyPort: $0)
            }) { server in
                let run = try await till.run(["qr", "--amount", "12.00", "--config", server.config, "--json"])
                #expect(run.exitCode == 3, "\(run)")
                let object = try run.json()
                #expect(object[string: "result"] == "expired", "\(run)")
                let order = try #require(object[string: "order"])

                #expect(try sandbox.customerPays(order) == 200)
                // The callback crosses two processes over HTTP: ask the ledger until it shows (bounded).
                var listed = ""
                for _ in 1...100 {
                    listed = try await till.run(["orders", "--config", server.config]).stdout
                    if listed.contains("NEEDS ATTENTION") { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(listed.contains("NEEDS ATTENTION: paid after close"), "\(listed)")
                #expect(!server.logLines(containing: ["aggregator", "NEEDS ATTENTION"]).isEmpty, "\(server.process.stderr)")
            }
        }
    }

    @Test("shroff pay with the aggregator: a scanned code is refused with the reason; nothing is sent or recorded")
    func scannedCodeRefused() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.write("store/config.toml", TillHome.aggregatorConfig(sandboxPort: sandbox.port))
            let run = try await till.run(["pay", "--amount", "12.30", "--code", TillHome.wechatCode, "--config", config])
            #expect(run.exitCode == 1, "\(run)")
            #expect((run.stdout + run.stderr).contains("The aggregator gateway does not offer payment by scanned code, so nothing was sent."), "\(run)")
            #expect(sandbox.logLines(containing: ["/aggregator/"]).isEmpty, "\(sandbox.process.stderr)")
            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(try orders.json()[objects: "orders"]?.isEmpty == true, "\(orders)")
        }
    }

    @Test("allow_plain_http = true is warned about at every start")
    func plainHTTPIsWarnedAbout() async throws {
        // A real aggregator, so the shop's own credentials: the training ones are refused there.
        let text = TillHome.aggregatorConfig(sandboxPort: 9, extra: "allow_plain_http = true")
            .replacingOccurrences(of: "http://127.0.0.1:9/aggregator", with: "http://pay.example.cn")
            .replacingOccurrences(of: "gpu0000000001", with: "gpu10000000")
            .replacingOccurrences(of: "shroff-aggregator-training-secret", with: "agg_secret_Hx73kQpL0v")
        let config = try till.write("store/config.toml", text)
        for _ in 1...2 {
            let run = try await till.run(["info", "--config", config])
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stderr.contains("warning: [providers.aggregator] allow_plain_http = true"), "\(run)")
            #expect(run.stderr.contains("can be read and forged on the way"), "\(run)")
            #expect(!run.stderr.contains("agg_secret_Hx73kQpL0v"), "\(run)")
            // What a counter can do with it.
            #expect(run.stdout.contains("scanned codes: not offered"), "\(run)")
            #expect(run.stdout.contains("refunds and cancels: not offered (refund this order in the aggregator's merchant back office)"), "\(run)")
            #expect(run.stdout.contains("Take a payment: shroff qr --amount 12.30\n") || run.stdout.hasSuffix("Take a payment: shroff qr --amount 12.30"), "\(run)")
        }
    }
}
