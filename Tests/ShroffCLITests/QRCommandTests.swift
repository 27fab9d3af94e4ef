import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `shroff qr`: the QR code drawn with half blocks (on standard error when standard output
/// carries JSON), and the three ways a QR order ends: paid, expired, cancelled by Ctrl-C.
@Suite("QR orders", .timeLimit(.minutes(1)))
struct QRCommandTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    static let halfBlocks: Set<Character> = ["▀", "▄", "█"]

    private func hasQR(_ text: String) -> Bool {
        text.split(separator: "\n").filter { line in line.contains { Self.halfBlocks.contains($0) } }.count >= 10
    }

    @Test("training mode, --json: the QR is drawn on standard error; Ctrl-C closes the order, exit 3")
    func trainingJSONCancelled() async throws {
        let qr = try till.start(["qr", "--amount", "12.30", "--json"])
        // The code is drawn (in one write) once the order exists at the gateway; Ctrl-C is handled from then on.
        try await qr.waitForStderr(containing: "▀")

        qr.send(SIGINT)
        let run = try await qr.finish(within: .seconds(15))

        #expect(run.exitCode == 3, "\(run)")
        #expect(run.stderr.contains("[TRAINING] HKD 12.30 — scan with WeChat Pay"), "\(run)")
        #expect(hasQR(run.stderr), "no QR code on standard error:\n\(run)")
        #expect(!run.stdout.contains { Self.halfBlocks.contains($0) }, "the QR code went into the JSON output")
        let object = try run.json()
        #expect(object[bool: "training"] == true)
        #expect(object[string: "method"] == "qr")
        #expect(object[string: "result"] == "cancelled", "\(run)")
        #expect(object[string: "status"] == "cancelled")
        #expect(object[int: "exit_code"] == 3)
    }

    @Test("nobody pays within qr_timeout_s: the JSON says expired, exit 3")
    func expired() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox)

            let run = try await till.run(["qr", "--amount", "12.30", "--config", config, "--json"])

            #expect(run.exitCode == 3, "\(run)")
            #expect(hasQR(run.stderr), "no QR code on standard error:\n\(run)")
            let object = try run.json()
            #expect(object[string: "result"] == "expired", "\(run)")
            #expect(object[string: "status"] == "expired")
            #expect(object[string: "method"] == "qr")
            #expect(object[bool: "training"] == false)
        }
    }

    @Test("the customer pays the QR order: PAID, exit 0, and the ledger has it paid")
    func paidByCustomer() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(
                for: sandbox, checkout: "poll_interval_s = 1\npay_timeout_s = 2\nrequest_timeout_s = 1\nqr_timeout_s = 30")
            let qr = try till.start(["qr", "--amount", "12.30", "--channel", "alipay", "--config", config])
            let order = try await qr.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#)
            try await qr.waitForStderr(containing: "Waiting:")

            #expect(try sandbox.customerPays(order) == 200)
            let run = try await qr.finish(within: .seconds(15))

            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("HKD 12.30 — scan with Alipay"), "\(run)")
            #expect(hasQR(run.stdout), "no QR code on standard output:\n\(run)")
            #expect(run.stdout.contains("Order \(order): PAID HKD 12.30"), "\(run)")

            let orders = try await till.run(["orders", "--config", config, "--json"])
            let listed = try #require(try orders.json()[objects: "orders"])
            #expect(listed.count == 1, "\(orders)")
            #expect(listed.first?[string: "status"] == "paid")
            #expect(listed.first?[string: "method"] == "qr")
            #expect(listed.first?[string: "wallet"] == "alipay")
        }
    }
}
