import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Notifications across processes: `shroff sandbox` posts Wantu's signed notification to
/// `shroff notify-server`, which writes it to the ledger that a waiting `shroff qr` or
/// `shroff pay` watches; and several shroff processes sharing one ledger, each leaving alone
/// the orders another live one owns. Poll intervals are long on purpose: only the notification
/// can end these payments early, so how soon they end says it was the notification.
@Suite("Notifications between processes", .timeLimit(.minutes(2)))
struct NotificationProcessTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    static let recorded = #"Order (S[0-9A-Z]+) recorded\."#

    @Test("a QR order completes by notification alone while every query fails")
    func qrCompletedByNotificationAlone() async throws {
        try await till.withExternalSandbox { sandbox in
            // ..11: every query answers SYSTEM_ERROR. Querying every 20 s, nothing but the
            // notification could end the order within seconds of the customer paying.
            let checkout = "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 100"
            try await till.withNotifyServer(for: sandbox, checkout: checkout) { notify in
                let config = notify.config
                let qr = try till.start(["qr", "--amount", "12.11", "--config", config, "--json"])
                // In JSON mode no progress is printed, only the code (once the order exists at
                // the gateway); the order's number comes from the shared ledger.
                try await qr.waitForStderr(containing: "▀", within: .seconds(30))
                let listing = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
                #expect(listing.exitCode == 0, "\(listing)")
                let waiting = try #require(try listing.json()[strings: "in_progress"], "\(listing)")
                #expect(waiting.count == 1, "\(listing)")
                let order = try #require(waiting.first, "the waiting QR order is not in progress:\n\(listing)")

                let paidAt = ContinuousClock.now
                #expect(try sandbox.customerPays(order) == 200)
                let run = try await qr.finish(within: .seconds(60))
                let sincePaid = ContinuousClock.now - paidAt

                #expect(run.exitCode == 0, "\(run)")
                let result = try run.json()
                #expect(result[string: "order"] == order, "\(run)")
                #expect(result[string: "result"] == "paid", "\(run)")
                #expect(result[string: "status"] == "paid", "\(run)")
                #expect(result[string: "gateway_trade_id"]?.isEmpty == false, "\(run)")
                #expect(sincePaid < .seconds(10),
                        "the QR order ended \(sincePaid) after the customer paid: not by the notification (queries every 20 s, all failing)\n\(run)")

                // No query could have said paid: each one for this order failed.
                let queries = sandbox.logLines(containing: ["path=/paygate/query", "out_trade_no=\(order)"])
                #expect(queries.allSatisfy { !$0.contains("return_code=200") },
                        "a query answered success for a ..11 order:\n\(queries.joined(separator: "\n"))")

                // The sandbox delivered it once; the receiver handled it once, and never logged the key.
                try await sandbox.process.waitForStderrLine(containing: ["sandbox notification delivered", "order=\(order)"],
                                                            within: .seconds(30))
                let handled = notify.logLines(containing: ["notification handled", "order=\(order)"])
                #expect(handled.count == 1, "notify-server log:\n\(notify.process.stderr)")
                #expect(!notify.process.stderr.contains(TillHome.trainingKey), "the key reached the notify-server's log")
                #expect(!notify.process.stdout.contains(TillHome.trainingKey))
                #expect(!run.allOutput.contains(TillHome.trainingKey))

                let orders = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
                #expect(orders.exitCode == 0, "\(orders)")
                let list = try orders.json()
                let listed = try #require(list[objects: "orders"], "\(orders)")
                #expect(listed.count == 1, "\(orders)")
                #expect(listed.first?[string: "order"] == order, "\(orders)")
                #expect(listed.first?[string: "status"] == "paid", "\(orders)")
                #expect(listed.first?[string: "gateway_trade_id"] == result[string: "gateway_trade_id"], "\(orders)")
                #expect(list[strings: "in_progress"] == [], "\(orders)")
                #expect(list[strings: "needs_attention"] == [], "\(orders)")
            }
        }
    }

    @Test("a scanned payment answered 'user paying' completes on the notification before the first poll")
    func userPayingCompletedByNotification() async throws {
        try await till.withExternalSandbox { sandbox in
            // ..04: USER_PAYING, the customer confirms 8 s later. The first query would go at 30 s.
            let checkout = "poll_interval_s = 30\npay_timeout_s = 60\nrequest_timeout_s = 5"
            try await till.withNotifyServer(for: sandbox, checkout: checkout) { notify in
                let run = try await till.run(["pay", "--amount", "12.04", "--code", TillHome.wechatCode, "--config", notify.config],
                                             timeout: .seconds(90))

                #expect(run.exitCode == 0, "\(run)")
                let order = try #require(run.stderr.firstMatch(of: try Regex(Self.recorded))?[1].substring.map(String.init), "\(run)")
                #expect(run.stdout.contains("Order \(order): PAID HKD 12.04"), "\(run)")
                #expect(run.elapsed < .seconds(25),
                        "the payment took \(run.elapsed), though the customer confirmed 8 s after the pospay and the notification came then\n\(run)")

                let pospay = sandbox.logLines(containing: ["path=/paygate/pospay", "out_trade_no=\(order)"])
                #expect(pospay.count == 1 && pospay.allSatisfy { $0.contains("return_code=506") },
                        "the pospay was not answered USER_PAYING once:\n\(sandbox.process.stderr)")
                let queries = sandbox.logLines(containing: ["path=/paygate/query", "out_trade_no=\(order)"])
                #expect(queries.isEmpty, "the till queried before the notification ended it:\n\(queries.joined(separator: "\n"))")

                try await notify.process.waitForStderrLine(containing: ["notification handled", "order=\(order)"], within: .seconds(30))
                #expect(!notify.process.stderr.contains(TillHome.trainingKey), "the key reached the notify-server's log")
                #expect(!run.allOutput.contains(TillHome.wechatCode), "the payment code was shown unmasked")
            }
        }
    }

    @Test("a notification naming only Wantu's trade completes a scanned payment: notify-server asks the sandbox whose trade it is")
    func notificationNamingOnlyTheTrade() async throws {
        try await till.withExternalSandbox { sandbox in
            // ..14: USER_PAYING (no trade recorded), the customer confirms 8 s later, and the
            // notification names only trade_id, as the seed's example. The first query would go at 30 s.
            let checkout = "poll_interval_s = 30\npay_timeout_s = 60\nrequest_timeout_s = 5"
            try await till.withNotifyServer(for: sandbox, checkout: checkout) { notify in
                let run = try await till.run(["pay", "--amount", "12.14", "--code", TillHome.wechatCode, "--config", notify.config],
                                             timeout: .seconds(90))

                #expect(run.exitCode == 0, "\(run)")
                let order = try #require(run.stderr.firstMatch(of: try Regex(Self.recorded))?[1].substring.map(String.init), "\(run)")
                #expect(run.stdout.contains("Order \(order): PAID HKD 12.14"), "\(run)")
                #expect(run.elapsed < .seconds(25),
                        "the payment took \(run.elapsed), though the customer confirmed 8 s after the pospay and the notification came then\n\(run)")
                let tillQueries = sandbox.logLines(containing: ["path=/paygate/query", "out_trade_no=\(order)"])
                #expect(tillQueries.isEmpty, "the till queried before the notification ended it:\n\(tillQueries.joined(separator: "\n"))")

                try await sandbox.process.waitForStderrLine(containing: ["sandbox notification delivered", "order=\(order)"],
                                                            within: .seconds(30))
                // notify-server asked the sandbox about the trade alone, and was answered.
                let lookups = sandbox.logLines(containing: ["path=/paygate/query", "trade_id="])
                #expect(lookups.count == 1 && lookups.allSatisfy { !$0.contains("out_trade_no=") && $0.contains("return_code=200") },
                        "sandbox log:\n\(sandbox.process.stderr)")
                let handled = notify.logLines(containing: ["notification handled", "order=\(order)"])
                #expect(handled.count == 1, "notify-server log:\n\(notify.process.stderr)")
                #expect(!notify.process.stderr.contains(TillHome.trainingKey), "the key reached the notify-server's log")
                #expect(!run.allOutput.contains(TillHome.wechatCode), "the payment code was shown unmasked")

                let status = try await till.run(["status", order, "--config", notify.config, "--json"], timeout: .seconds(30))
                #expect(try status.json()[string: "status"] == "paid", "\(status)")
                #expect(try status.json()[string: "gateway_trade_id"]?.isEmpty == false, "\(status)")
            }
        }
    }

    @Test("two processes on one ledger: orders beside a till waiting on a QR order")
    func ordersBesideAWaitingTill() async throws {
        try await till.withExternalSandbox { sandbox in
            let checkout = "poll_interval_s = 5\nrequest_timeout_s = 5\nqr_timeout_s = 120"
            try await till.withNotifyServer(for: sandbox, checkout: checkout) { notify in
                let config = notify.config
                let qr = try till.start(["qr", "--amount", "12.00", "--config", config])
                let order = try await qr.waitForStderr(capturing: Self.recorded, within: .seconds(30))
                try await qr.waitForStderr(containing: "Waiting:", within: .seconds(30))

                let listing = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
                #expect(listing.exitCode == 0, "\(listing)")
                #expect(listing.elapsed < .seconds(5), "`orders` took \(listing.elapsed) beside a waiting till:\n\(listing)")
                let list = try listing.json()
                #expect(list[strings: "in_progress"] == [order], "\(listing)")
                #expect(list[strings: "needs_attention"] == [], "\(listing)")
                let listed = try #require(list[objects: "orders"], "\(listing)")
                #expect(listed.map { $0[string: "order"] } == [order], "\(listing)")
                #expect(listed.first?[string: "status"] == "pending", "\(listing)")
                #expect(listed.first?[bool: "in_progress"] == true, "\(listing)")

                let text = try await till.run(["orders", "--config", config], timeout: .seconds(30))
                #expect(text.exitCode == 0, "\(text)")
                #expect(text.stdout.contains("\(order)  in progress"), "\(text)")
                #expect(qr.isRunning, "the waiting till ended while `orders` ran:\n\(qr.stderr)")

                #expect(try sandbox.customerPays(order) == 200)
                let run = try await qr.finish(within: .seconds(60))
                #expect(run.exitCode == 0, "\(run)")
                #expect(run.stdout.contains("Order \(order): PAID HKD 12.00"), "\(run)")

                // `orders` sent nothing: no close at all, and every query is one the till itself made.
                let closes = sandbox.logLines(containing: ["path=/paygate/close", "out_trade_no=\(order)"])
                #expect(closes.isEmpty, "the order was closed at the gateway:\n\(closes.joined(separator: "\n"))")
                let queries = sandbox.logLines(containing: ["path=/paygate/query", "out_trade_no=\(order)"])
                let tillQueries = run.stderr.split(separator: "\n").filter { $0.contains("Sending query…") }
                #expect(queries.count == tillQueries.count,
                        "the sandbox saw \(queries.count) queries, the waiting till sent \(tillQueries.count):\n\(sandbox.process.stderr)")

                let after = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
                #expect(after.exitCode == 0, "\(after)")
                #expect(try after.json()[objects: "orders"]?.map { $0[string: "status"] } == ["paid"], "\(after)")
                #expect(try after.json()[strings: "in_progress"] == [], "\(after)")
            }
        }
    }

    @Test("the owner killed with SIGKILL: the next start takes the order over")
    func killedOwnerTakenOver() async throws {
        try await till.withExternalSandbox { sandbox in
            // The till waits long; the settling run, on the same ledger, gives QR orders 2 s.
            let config = try till.writeGatewayConfig(for: sandbox, checkout: "poll_interval_s = 5\nrequest_timeout_s = 5\nqr_timeout_s = 120")
            let settling = try till.write("store/settle.toml", TillHome.gatewayConfig(port: sandbox.port, checkout: TillHome.shortTimeouts))

            let qr = try till.start(["qr", "--amount", "12.00", "--config", config])
            let order = try await qr.waitForStderr(capturing: Self.recorded, within: .seconds(30))
            try await qr.waitForStderr(containing: "Waiting:", within: .seconds(30))
            qr.send(SIGKILL)
            let killed = try await qr.finish()
            #expect(killed.signal == SIGKILL, "the QR order ended before it could be killed:\n\(killed)")

            let before = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
            #expect(before.exitCode == 4, "\(before)")
            #expect(try before.json()[strings: "needs_attention"] == [order], "\(before)")
            #expect(try before.json()[strings: "in_progress"] == [], "\(before)")
            #expect(try before.json()[objects: "orders"]?.first?[string: "status"] == "pending", "\(before)")
            #expect(try before.json()[objects: "orders"]?.first?[bool: "in_progress"] == false, "\(before)")

            let status = try await till.run(["status", order, "--config", settling, "--json"], timeout: .seconds(60))
            #expect(status.exitCode == 3, "\(status)")
            let settled = try status.json()
            #expect(settled[string: "order"] == order, "\(status)")
            #expect(settled[string: "status"] == "expired", "\(status)")
            #expect(settled.isNull("discrepancy"), "\(status)")
            #expect(!sandbox.logLines(containing: ["path=/paygate/close", "out_trade_no=\(order)", "return_code=200"]).isEmpty,
                    "the order was not closed at the gateway:\n\(sandbox.process.stderr)")

            let after = try await till.run(["orders", "--config", config, "--json"], timeout: .seconds(30))
            #expect(after.exitCode == 0, "\(after)")
            let list = try after.json()
            #expect(list[objects: "orders"]?.map { $0[string: "status"] } == ["expired"], "\(after)")
            #expect(list[strings: "needs_attention"] == [], "\(after)")
            #expect(list[strings: "in_progress"] == [], "\(after)")
        }
    }
}

extension NotificationProcessTests {
    @Test("SIGTERM while a notification is half sent: the server answers it, then exits 0")
    func sigtermFinishesTheRequestInHand() async throws {
        try await till.withExternalSandbox { sandbox in
            try await till.withNotifyServer(for: sandbox, checkout: "") { server in
                // Unsigned, so the answer is a refusal; what matters is that it comes at all.
                let body = Array(#"{"out_trade_no":"S261201120000ABCDEF","trade_status":"SUCCESS"}"#.utf8)
                let fd = try LoopbackSocket.connected(port: server.port, timeout: .seconds(15))
                defer { close(fd) }
                let head = Array("POST /notify/wantu HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8)
                let half = body.count / 2
                func sendAll(_ bytes: [UInt8]) { bytes.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, 0) } }
                sendAll(head + body[..<half])
                // A later connection answered means this one was accepted before it (the
                // listener takes them in order): the request is in hand. Stop mid-body.
                #expect(try LoopbackHTTP.request("GET", port: server.port, path: "/healthz").status == 200)
                server.process.send(SIGTERM)
                sendAll(Array(body[half...]))

                var reply: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    guard count > 0 else { break }
                    reply += buffer[..<count]
                }
                let text = String(decoding: reply, as: UTF8.self)
                #expect(text.hasPrefix("HTTP/1.1 403"), "no answer to the request in hand: \(text.debugDescription)")
                #expect(text.hasSuffix(#"{"return_code":"FAIL","return_msg":"no signature"}"#), "\(text)")

                let run = try await server.process.finish(within: .seconds(20))
                #expect(run.exitCode == 0, "\(run)")
            }
        }
    }
}
