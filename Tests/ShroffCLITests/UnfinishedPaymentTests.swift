import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Payments that do not end at once: a till killed mid-payment, a customer who never confirms,
/// a cancel the gateway refuses, and Ctrl-C. Short configured timeouts keep each to seconds.
@Suite("Unfinished payments", .timeLimit(.minutes(1)))
struct UnfinishedPaymentTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// A hanging pospay stays on the wire for 15 s: time enough to kill the till or press Ctrl-C
    /// twice while it waits, even on a machine so busy that the test itself runs seconds late.
    /// Nothing here waits for the timeout itself.
    static let pospayOnTheWire = "poll_interval_s = 1\npay_timeout_s = 20\nrequest_timeout_s = 15"

    @Test("killed (SIGKILL) while pospay hangs: `orders` flags it at once, the next start settles it as paid")
    func crashMidPayment() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox, checkout: Self.pospayOnTheWire)

            // ..07: the sandbox takes the payment and never answers the pospay.
            let payment = try till.start(["pay", "--amount", "30.07", "--code", TillHome.wechatCode, "--config", config])
            let order = try await payment.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await sandbox.waitUntilReceived("pospay", for: order)
            payment.send(SIGKILL)
            let killed = try await payment.finish()
            #expect(killed.signal == SIGKILL, "the payment ended before it could be killed:\n\(killed)")

            // `orders` reads the ledger only: the dead till's order is open and needs attention.
            let before = try await till.run(["orders", "--config", config, "--json"])
            #expect(before.exitCode == 4, "\(before)")
            #expect(try before.json()[strings: "needs_attention"] == [order], "\(before)")
            #expect(try before.json()[strings: "in_progress"] == [], "\(before)")
            #expect(try before.json()[objects: "orders"]?.first?[string: "status"] == "pending", "\(before)")

            let status = try await till.run(["status", order, "--config", config])
            #expect(status.exitCode == 0, "\(status)")
            #expect(status.stdout.contains("Order \(order): PAID HKD 30.07"), "\(status)")

            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(orders.exitCode == 0, "\(orders)")
            let list = try orders.json()
            let listed = try #require(list[objects: "orders"])
            #expect(listed.count == 1, "\(orders)")
            #expect(listed.first?[string: "order"] == order)
            #expect(listed.first?[string: "status"] == "paid", "\(orders)")
            #expect(listed.first?[string: "gateway_trade_id"]?.isEmpty == false, "\(orders)")
            #expect(list[strings: "needs_attention"] == [], "\(orders)")
        }
    }

    @Test("killed mid-payment: `shroff orders` says what to do; the next payment settles the order first")
    func crashThenOrdersSaysSettled() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox, checkout: Self.pospayOnTheWire)
            let payment = try till.start(["pay", "--amount", "31.07", "--code", TillHome.wechatCode, "--config", config])
            let order = try await payment.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await sandbox.waitUntilReceived("pospay", for: order)
            payment.send(SIGKILL)
            _ = try await payment.finish()

            let listing = try await till.run(["orders", "--config", config])
            #expect(listing.exitCode == 4, "\(listing)")
            #expect(listing.stdout.contains("\(order)  pending"), "\(listing)")
            #expect(listing.stdout.contains("1 need attention"), "\(listing)")
            #expect(listing.stdout.contains("`shroff status ORDER`"), "\(listing)")

            let next = try await till.run(["pay", "--amount", "12.00", "--code", TillHome.wechatCode, "--config", config])
            #expect(next.exitCode == 0, "\(next)")
            #expect(next.stderr.contains("Order \(order), left open earlier, is now paid"), "\(next)")

            let orders = try await till.run(["orders", "--config", config])
            #expect(orders.exitCode == 0, "\(orders)")
            #expect(orders.stdout.contains("\(order)  paid"), "\(orders)")
            #expect(orders.stdout.contains("0 need attention"), "\(orders)")
        }
    }

    @Test("..05, the customer never confirms: cancelled at the pay timeout, exit 3")
    func userPayingNeverPaid() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)

            let run = try await till.run(["pay", "--amount", "12.05", "--code", TillHome.wechatCode, "--config", config, "--json"])

            #expect(run.exitCode == 3, "\(run)")
            let object = try run.json()
            #expect(object[string: "result"] == "cancelled", "\(run)")
            #expect(object[string: "status"] == "cancelled")
            #expect(object[string: "message"]?.contains("not charged") == true, "\(run)")
            #expect(object[int: "exit_code"] == 3)

            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(try orders.json()[objects: "orders"]?.map { $0[string: "status"] } == ["cancelled"], "\(orders)")
        }
    }

    @Test("..09, the customer is paying forever and cancels are refused: outcome unknown, exit 4")
    func userPayingForever() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)

            let run = try await till.run(["pay", "--amount", "12.09", "--code", TillHome.wechatCode, "--config", config])

            #expect(run.exitCode == 4, "\(run)")
            #expect(run.stdout.contains("OUTCOME UNKNOWN"), "\(run)")
            #expect(run.stdout.contains("Do not hand over the goods"), "\(run)")
        }
    }

    @Test("Ctrl-C while the customer confirms (..05): the order is cancelled at the gateway, exit 3")
    func controlC() async throws {
        try await till.withExternalSandbox { sandbox in
            // A long pay timeout, so only Ctrl-C can end it within the test's wait.
            let config = try till.writeGatewayConfig(for: sandbox, checkout: "poll_interval_s = 1\npay_timeout_s = 60\nrequest_timeout_s = 1")
            let payment = try till.start(["pay", "--amount", "12.05", "--code", TillHome.wechatCode, "--config", config])
            let order = try await payment.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await payment.waitForStderr(containing: "Waiting:")

            payment.send(SIGINT)
            let run = try await payment.finish(within: .seconds(15))

            #expect(run.exitCode == 3, "\(run)")
            #expect(run.stdout.contains("Order \(order): CANCELLED: cancelled by the cashier"), "\(run)")
            #expect(run.stderr.contains("Sending cancel…"), "\(run)")
            #expect(run.elapsed < .seconds(30), "it waited for the timeout instead of cancelling:\n\(run)")

            let status = try await till.run(["status", order, "--config", config, "--json"])
            #expect(status.exitCode == 3, "\(status)")
            let object = try status.json()
            #expect(object[string: "status"] == "cancelled", "\(status)")
            #expect(object[string: "gateway_answer"] == "not paid", "\(status)")
            #expect(object.isNull("discrepancy"), "\(status)")
        }
    }

    @Test("Ctrl-C twice: leaves at once with exit 4; the next start settles the order")
    func controlCTwice() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox, checkout: Self.pospayOnTheWire)
            // ..07: the pospay hangs for request_timeout_s, so the first Ctrl-C waits on the wire.
            let payment = try till.start(["pay", "--amount", "12.07", "--code", TillHome.wechatCode, "--config", config])
            let order = try await payment.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await sandbox.waitUntilReceived("pospay", for: order)

            payment.send(SIGINT)
            try await payment.waitForStderr(containing: "Cancelling the order at the gateway")
            payment.send(SIGINT)
            let run = try await payment.finish(within: .seconds(10))

            #expect(run.exitCode == 4, "\(run)")
            #expect(run.stderr.contains("Left open"), "\(run)")

            // The second press came long before the pospay's 15 s timeout, so no cancel went out;
            // the sandbox took the payment, and settling the order finds it paid.
            let status = try await till.run(["status", order, "--config", config])
            #expect(status.exitCode == 0, "\(status)")
            #expect(status.stdout.contains("Order \(order): PAID HKD 12.07"), "\(status)")
        }
    }
}

extension UnfinishedPaymentTests {
    @Test("a killed `shroff qr` does not hold up the next sale: its order is closed at once, not waited out")
    func killedQRDoesNotHoldUpTheNextSale() async throws {
        try await till.withExternalSandbox { sandbox in
            // The QR order would wait 120 s; the next sale must not wait for that.
            let config = try till.writeGatewayConfig(for: sandbox, checkout: "poll_interval_s = 5\nrequest_timeout_s = 5\nqr_timeout_s = 120")
            let qr = try till.start(["qr", "--amount", "12.00", "--config", config])
            let order = try await qr.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#, within: .seconds(30))
            try await qr.waitForStderr(containing: "Waiting:", within: .seconds(30))
            qr.send(SIGKILL)
            _ = try await qr.finish()

            let next = try await till.run(["pay", "--amount", "12.00", "--code", TillHome.wechatCode, "--config", config])

            #expect(next.exitCode == 0, "\(next)")
            #expect(next.elapsed < .seconds(60), "the next sale waited out the dead till's QR order:\n\(next)")
            #expect(next.stderr.contains("Order \(order), left open earlier, is now cancelled"), "\(next)")
            #expect(next.stderr.contains("left open by a till that stopped"), "\(next)")
            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(orders.exitCode == 0, "\(orders)")
            #expect(try orders.json()[strings: "needs_attention"] == [], "\(orders)")
        }
    }
}
