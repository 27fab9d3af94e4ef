import Foundation
import Testing

/// A till configured (mode 600 file) for `shroff sandbox` running as its own process: paying,
/// refunding in parts, listing and reconciling, each a separate run of the binary, as a shop does.
@Suite("Against an external sandbox", .timeLimit(.minutes(1)))
struct ExternalSandboxTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// Pays `amount` and returns the order's JSON object.
    private func pay(_ amount: String, config: String) async throws -> JSONObject {
        let run = try await till.run(["pay", "--amount", amount, "--code", TillHome.wechatCode, "--config", config, "--json"])
        #expect(run.exitCode == 0, "\(run)")
        let object = try run.json()
        #expect(object[string: "result"] == "paid", "\(run)")
        #expect(object[bool: "training"] == false, "a configured till is not training:\n\(run)")
        return object
    }

    @Test("pay, refund 1.00, refund the rest: orders shows it refunded and reconcile is clean")
    func payRefundReconcile() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)
            let paid = try await pay("20.00", config: config)
            let order = try #require(paid[string: "order"])
            let day = try #require(paid[string: "created_at"].flatMap { storeDay(of: $0) })

            let first = try await till.run(["refund", order, "--amount", "1.00", "--reason", "test", "--config", config])
            #expect(first.exitCode == 0, "\(first)")
            #expect(first.stdout.contains("of HKD 1.00: REFUNDED"), "\(first)")
            #expect(first.stdout.contains("HKD 19.00 can still be refunded"), "\(first)")

            let rest = try await till.run(["refund", order, "--reason", "test", "--config", config, "--json"])
            #expect(rest.exitCode == 0, "\(rest)")
            let restObject = try rest.json()
            #expect(restObject[string: "status"] == "refunded", "\(rest)")
            #expect(restObject[string: "amount"] == "19.00", "\(rest)")
            #expect(restObject[string: "remaining"] == "0.00", "\(rest)")
            #expect(restObject[bool: "retried_earlier_refund"] == false)

            let orders = try await till.run(["orders", "--date", day, "--config", config, "--json"])
            #expect(orders.exitCode == 0, "\(orders)")
            let list = try orders.json()
            let listed = try #require(list[objects: "orders"])
            #expect(listed.count == 1, "\(orders)")
            #expect(listed.first?[string: "order"] == order)
            #expect(listed.first?[string: "status"] == "paid")
            #expect(listed.first?[string: "refunded"] == "20.00")
            #expect(list[string: "paid"] == "20.00")
            #expect(list[string: "refunded"] == "20.00")
            #expect(list[string: "net"] == "0.00")
            #expect(list[strings: "needs_attention"] == [])

            let reconcile = try await till.run(["reconcile", "--from", day, "--config", config])
            #expect(reconcile.exitCode == 0, "\(reconcile)")
            #expect(reconcile.stdout.contains("1 orders agree"), "\(reconcile)")
            #expect(reconcile.stdout.contains("Ledger and gateway agree."), "\(reconcile)")

            let reconcileJSON = try await till.run(["reconcile", "--from", day, "--config", config, "--json"])
            #expect(reconcileJSON.exitCode == 0, "\(reconcileJSON)")
            #expect(try reconcileJSON.json()[bool: "clean"] == true, "\(reconcileJSON)")
        }
    }

    @Test("a refund after everything was refunded: refused (exit 1 or 2), saying nothing is left")
    func refundWhenNothingIsLeft() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)
            let paid = try await pay("20.00", config: config)
            let order = try #require(paid[string: "order"])
            let day = try #require(paid[string: "created_at"].flatMap { storeDay(of: $0) })
            let all = try await till.run(["refund", order, "--reason", "test", "--config", config])
            #expect(all.exitCode == 0, "\(all)")

            let again = try await till.run(["refund", order, "--reason", "test", "--config", config])

            #expect(again.exitCode == 1 || again.exitCode == 2, "\(again)")
            let said = again.allOutput.lowercased()
            #expect(said.contains("nothing") || said.contains("fully refunded") || said.contains("already refunded"),
                    "the cashier is not told that nothing is left to refund:\n\(again)")

            let orders = try await till.run(["orders", "--date", day, "--config", config, "--json"])
            #expect(try orders.json()[string: "refunded"] == "20.00", "\(orders)")
        }
    }

    @Test("a refund of more than is left: exit 1, says how much can still be refunded; nothing changes")
    func refundTooMuch() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)
            let order = try #require(try await pay("20.00", config: config)[string: "order"])

            let run = try await till.run(["refund", order, "--amount", "25.00", "--reason", "test", "--config", config])

            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stderr.contains("HKD 20.00"), "\(run)")
            let status = try await till.run(["status", order, "--config", config, "--json"])
            #expect(status.exitCode == 0, "\(status)")
            #expect(try status.json()[string: "gateway_answer"]?.hasPrefix("paid HKD 20.00") == true, "\(status)")
        }
    }

    @Test("status of a paid order asks the gateway, which agrees: exit 0")
    func statusAgrees() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)
            let order = try #require(try await pay("33.00", config: config)[string: "order"])

            let run = try await till.run(["status", order, "--config", config])

            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("Order \(order): PAID HKD 33.00 — gateway: paid HKD 33.00"), "\(run)")
            #expect(!run.stdout.contains("ATTENTION"), "\(run)")
        }
    }

    @Test("cancel of a paid order is refused: exit 1, says to refund it instead; it stays paid")
    func cancelPaid() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)
            let order = try #require(try await pay("12.30", config: config)[string: "order"])

            let run = try await till.run(["cancel", order, "--config", config])

            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stderr.contains("Refund it instead"), "\(run)")
            let status = try await till.run(["status", order, "--config", config, "--json"])
            #expect(try status.json()[string: "status"] == "paid", "\(status)")
        }
    }
}
