import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CloudPay across processes: `shroff sandbox` posts CloudPay's signed form to
/// `shroff notify-server`, which writes it to the ledger a waiting `shroff qr` watches. CloudPay
/// cannot be asked about an order, so the notification is the only way the till learns of it.
@Suite("CloudPay between processes", .timeLimit(.minutes(2)))
struct CloudPayProcessTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    static let secret = TillHome.cloudPaySecret
    static let recorded = #"Order (S[0-9A-Z]+) recorded\."#

    @Test("a QR payment completes through the notify server alone; refunds are refused with the reason")
    func qrPaidByNotification() async throws {
        try await till.withCloudPay(checkout: "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 100") { sandbox, config, server in
            let qr = try till.start(["qr", "--amount", "12.50", "--config", config])
            let order = try await qr.waitForStderr(capturing: Self.recorded, within: .seconds(30))
            try await qr.waitForStderr(containing: "waiting for CloudPay's notification (", within: .seconds(30))
            #expect(qr.stderr.contains("0 notifications received"), "\(qr.stderr)")
            #expect(qr.stdout.contains("▀"), "no QR code drawn:\n\(qr.stdout)")

            let paidAt = ContinuousClock.now
            #expect(try sandbox.customerPays(order) == 200)
            let run = try await qr.finish(within: .seconds(60))
            let sincePaid = ContinuousClock.now - paidAt

            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("Order \(order): PAID CNY 12.50"), "\(run)")
            #expect(sincePaid < .seconds(5), "the till ended \(sincePaid) after the customer paid\n\(run)")
            try await sandbox.process.waitForStderrLine(containing: ["sandbox notification delivered", "order=\(order)"], within: .seconds(30))
            let handled = server?.stderr.split(separator: "\n").filter { $0.contains("notification handled") && $0.contains("order=\(order)") } ?? []
            #expect(handled.count == 1, "\(server?.stderr ?? "")")
            // Prometheus, on the address [notify] metrics names, counts it once.
            let notifyServer = try #require(server)
            let metricsLine = try await notifyServer.waitForStderr(
                capturing: #"Metrics for Prometheus at http://127\.0\.0\.1:([0-9]+)/metrics"#, within: .seconds(10))
            let metricsPort = try #require(Int(metricsLine), "\(metricsLine)")
            let (status, metrics) = try LoopbackHTTP.request("GET", port: metricsPort, path: "/metrics")
            #expect(status == 200)
            #expect(metrics.contains(#"shroff_notifications_total{gateway="cloudpay",outcome="applied"} 1"#), "\(metrics)")
            #expect(!(server?.stderr.contains(Self.secret) ?? true), "the secret reached the notify server's log")
            #expect(!run.allOutput.contains(Self.secret))

            let refund = try await till.run(["refund", order, "--reason", "test", "--config", config])
            #expect(refund.exitCode != 0, "\(refund)")
            #expect(refund.allOutput.contains("merchant back office"), "\(refund)")
            #expect(refund.allOutput.contains("nothing was sent"), "\(refund)")
            let cancel = try await till.run(["cancel", order, "--config", config])
            #expect(cancel.exitCode != 0, "\(cancel)")
            #expect(cancel.allOutput.contains("refund this order in CloudPay's merchant back office"), "\(cancel)")
        }
    }

    @Test("a payment after the till gave up is flagged in `shroff orders`")
    func latePaymentFlagged() async throws {
        try await till.withCloudPay(checkout: "poll_interval_s = 1\npay_timeout_s = 2\nrequest_timeout_s = 5\nqr_timeout_s = 2") { sandbox, config, _ in
            let run = try await till.run(["qr", "--amount", "12.00", "--config", config], timeout: .seconds(30))
            let order = try #require(run.stderr.firstMatch(of: try Regex(Self.recorded))?[1].substring.map(String.init), "\(run)")
            #expect(run.stdout.contains("EXPIRED at the till"), "\(run)")
            #expect(run.stdout.contains("a late payment will be flagged"), "\(run)")

            #expect(try sandbox.customerPays(order) == 200)
            try await sandbox.process.waitForStderrLine(containing: ["sandbox notification delivered", "order=\(order)"], within: .seconds(30))

            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(orders.exitCode == 4, "\(orders)")
            let list = try orders.json()
            #expect(list[strings: "needs_attention"] == [order], "\(orders)")
            let listed = try #require(list[objects: "orders"]?.first, "\(orders)")
            #expect(listed[string: "status"] == "expired", "\(orders)")
            #expect(listed[string: "attention"]?.contains("paid after close") == true, "\(orders)")
        }
    }

    @Test("without a [notify] table, or with no notify server answering, the till refuses CloudPay before sending anything")
    func refusedWithoutANotifyServer() async throws {
        try await till.withCloudPay(checkout: "request_timeout_s = 5", notify: false, serve: false) { sandbox, config, _ in
            let run = try await till.run(["qr", "--amount", "12.00", "--config", config])
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.allOutput.contains("has no [notify] table"), "\(run)")
            #expect(run.allOutput.contains("Nothing was sent"), "\(run)")
        }
        try await till.withCloudPay(checkout: "request_timeout_s = 5", serve: false) { sandbox, config, _ in
            let run = try await till.run(["qr", "--amount", "12.00", "--config", config])
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.allOutput.contains("no notify server answers at"), "\(run)")
            #expect(sandbox.logLines(containing: ["cloudpay sandbox"]).isEmpty, "a request reached CloudPay:\n\(sandbox.process.stderr)")
        }
    }
}

extension CloudPayProcessTests {
    @Test("training: a file choosing CloudPay without its table pays a QR order on the built-in simulator's notification")
    func training() async throws {
        let config = try till.write("store/config.toml", """
            [store]
            name = "CLI Test Store"
            currency = "CNY"
            timezone = "Asia/Shanghai"

            [checkout]
            provider = "cloudpay"
            """)
        // ..10: the customer pays 3 s after the code is shown; only the notification can say so.
        let run = try await till.run(["qr", "--amount", "12.10", "--config", config], timeout: .seconds(60))
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("[TRAINING] Order S"), "\(run)")
        #expect(run.stdout.contains("PAID CNY 12.10"), "\(run)")
        #expect(run.stderr.contains("waiting for CloudPay's notification"), "\(run)")
        #expect(FileManager.default.fileExists(atPath: till.trainingLedger))
        #expect(!FileManager.default.fileExists(atPath: till.root + "/store/ledger.sqlite"))
    }
}

extension CloudPayProcessTests {
    @Test("a price shifted by a fen is PAID with the money received, and `orders` adds what came in")
    func realPriceBelowPrice() async throws {
        try await till.withCloudPay(checkout: "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 100") { _, config, _ in
            // ..26: paid 3 s after creation, realprice 0.01 below price: within max_price_adjustment.
            let run = try await till.run(["qr", "--amount", "12.26", "--config", config], timeout: .seconds(60))
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("PAID CNY 12.26 (gateway trade"), "\(run)")
            #expect(run.stdout.contains("; CNY 12.25 received"), "\(run)")
            #expect(!run.stdout.contains("NEEDS ATTENTION"), "\(run)")

            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(orders.exitCode == 0, "\(orders)")
            let list = try orders.json()
            let listed = try #require(list[objects: "orders"]?.first, "\(orders)")
            #expect(listed[string: "status"] == "paid", "\(orders)")
            #expect(listed[string: "received"] == "12.25", "\(orders)")
            #expect(list[string: "paid"] == "12.26", "\(orders)")
            #expect(list[string: "received"] == "12.25", "\(orders)")
            #expect(list[strings: "received_differs"] == [listed[string: "order"] ?? ""], "\(orders)")
            #expect(list[strings: "needs_attention"] == [], "\(orders)")
        }
    }

    @Test("an underpayment: `qr` says what was paid of what, not paid, exit 4; `orders` flags it and adds what came in")
    func underpaid() async throws {
        try await till.withCloudPay(checkout: "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 100") { _, config, server in
            // ..28: paid 3 s after creation, realprice half the price.
            let run = try await till.run(["qr", "--amount", "12.28", "--config", config], timeout: .seconds(60))
            let order = try #require(run.stderr.firstMatch(of: try Regex(Self.recorded))?[1].substring.map(String.init), "\(run)")
            #expect(run.exitCode == 4, "\(run)")
            #expect(run.stdout.contains("Order \(order): UNDERPAID: CNY 6.14 of CNY 12.28 received"), "\(run)")
            #expect(run.stdout.contains("do not hand over the goods"), "\(run)")
            #expect(run.stdout.contains("NEEDS ATTENTION: underpaid: CNY 6.14 of CNY 12.28 received"), "\(run)")
            #expect(!run.stdout.contains("PAID CNY"), "\(run)")
            let critical = server?.stderr.split(separator: "\n").filter { $0.contains("NEEDS ATTENTION") && $0.contains("order=\(order)") } ?? []
            #expect(critical.count == 1, "\(server?.stderr ?? "")")

            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(orders.exitCode == 4, "\(orders)")
            let list = try orders.json()
            let listed = try #require(list[objects: "orders"]?.first, "\(orders)")
            #expect(listed[string: "status"] == "declined", "\(orders)")
            #expect(listed[string: "received"] == "6.14", "\(orders)")
            #expect(list[string: "paid"] == "0.00", "\(orders)")
            #expect(list[string: "received"] == "6.14", "\(orders)")
            #expect(list[strings: "needs_attention"] == [order], "\(orders)")
            let text = try await till.run(["orders", "--config", config])
            #expect(text.stdout.contains("Paid CNY 0.00, received CNY 6.14 (differs from the price on 1 order: \(order))"), "\(text)")
        }
    }
}

extension CloudPayProcessTests {
    @Test("a notify server writing to another ledger would never tell this till: CloudPay is refused")
    func refusedWhenTheNotifyServerWritesElsewhere() async throws {
        try await till.withCloudPay(checkout: "request_timeout_s = 5") { sandbox, config, _ in
            // The same settings in another folder: another ledger, the same notify server.
            let text = try String(contentsOfFile: config, encoding: .utf8)
            let other = try till.write("other/config.toml", text)
            let run = try await till.run(["qr", "--amount", "12.00", "--config", other])
            #expect(run.exitCode != 0, "\(run)")
            #expect(run.allOutput.contains("writes to another ledger"), "\(run)")
            // The till names its own ledger; the server names its ledger by identity only.
            #expect(run.allOutput.contains(till.root + "/other/ledger.sqlite"), "\(run)")
            #expect(!run.allOutput.contains(till.root + "/store/ledger.sqlite"), "\(run)")
            #expect(sandbox.logLines(containing: ["cloudpay sandbox"]).isEmpty, "a request reached CloudPay:\n\(sandbox.process.stderr)")
        }
    }
}
