import Foundation
import TestSupport
import Testing

/// The cashier's screen end to end: the real `shroff` binary in a tmux pane, typed at with
/// `send-keys`, scanned at digit by digit, read with `capture-pane`, its QR code read by an
/// independent decoder as the customer's phone would.
@Suite("The till's screen in tmux", .serialized, .timeLimit(.minutes(1)))
struct TillScreenTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    /// Keys an amount and waits until the screen shows it: a scan only starts from a keyed amount.
    func key(amount: String, on tmux: TmuxTill) async throws {
        try await tmux.waitFor("New sale", within: .seconds(10))
        try tmux.type(amount)
        try await tmux.waitFor("HKD \(amount)")
    }

    /// Scans the WeChat test code and waits for `texts`; every screen seen on the way is kept.
    private func scanAndWait(_ tmux: TmuxTill, for texts: String..., within timeout: Duration = .seconds(15)) async throws -> [String] {
        let gap = try await tmux.scan(TillHome.wechatCode)
        var screens: [String] = []
        try await tmux.waitUntil("the screen shows \(texts) after a scan (largest gap between its keys: \(gap))", within: timeout) { screen in
            screens.append(screen)
            return texts.allSatisfy(screen.contains)
        }
        return screens
    }

    /// `shroff set-pin` with the PIN on standard input, as a script (no terminal) sets it.
    private func setPIN(_ pin: String) async throws {
        let set = try await till.run(["set-pin"], input: pin + "\n")
        #expect(set.exitCode == 0, "shroff set-pin failed: \(set)")
        #expect(set.stdout.contains("Manager PIN set."), "\(set)")
    }

    /// The order number shown beside "Order" on a checkout screen.
    func orderNumber(on screen: String) -> String? {
        screen.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/).map { String($0.1) }
    }

    /// Quits with F10 and expects a clean exit.
    func quit(_ tmux: TmuxTill) async throws {
        try tmux.press("F10")
        let status = try await tmux.waitForExit()
        #expect(status == 0, "the till did not exit cleanly on F10")
    }

    @Test("training: key 12.30, scan a WeChat code → PAID with a trade number, TRAINING shown, the code never in full")
    func scanPayment() async throws {
        try await till.withTmuxTill { tmux in
            try await key(amount: "12.30", on: tmux)
            let screens = try await scanAndWait(tmux, for: "PAID")

            let result = try #require(screens.last)
            #expect(result.contains("TRAINING"), "\(result)")
            #expect(result.firstMatch(of: /Trade number: \d{6,}/) != nil, "no trade number on the result:\n\(result)")
            #expect(result.contains("Amount: HKD 12.30"), "\(result)")
            for screen in screens {
                #expect(!screen.contains(TillHome.wechatCode), "the full payment code was on screen:\n\(screen)")
            }
            try await quit(tmux)
        }
        let orders = try await till.run(["orders", "--json"])
        let listed = try #require(try orders.json()[objects: "orders"])
        #expect(listed.count == 1, "\(orders)")
        #expect(listed.first?[string: "status"] == "paid", "\(orders)")
        #expect(listed.first?[string: "code"] == TillHome.maskedWechatCode, "\(orders)")
    }

    @Test("WeChat QR: the drawn code reads as a WeChat pay link; the customer pays that order → PAID")
    func qrPayment() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.writeGatewayConfig(for: sandbox, checkout: """
                poll_interval_s = 1
                pay_timeout_s = 10
                request_timeout_s = 2
                qr_timeout_s = 30
                """)
            try await till.withTmuxTill(arguments: ["--config", config]) { tmux in
                try await key(amount: "88.00", on: tmux)
                try tmux.press("w")
                let shown = try await tmux.waitUntil("the QR code with its order number") { screen in
                    screen.contains("Scan to pay") && screen.contains("▀") && orderNumber(on: screen) != nil
                }
                let order = try #require(orderNumber(on: shown))
                #expect(shown.contains("HKD 88.00"), "the amount is not beside the QR code:\n\(shown)")

                let captured = CapturedScreen(ansi: try tmux.colouredScreen())
                let modules = try #require(captured.qrModules(), "nothing drawn black on white:\n\(shown)")
                // A phone needs light all round the code: at least 2 modules on every side.
                let edges = modules.prefix(2) + modules.suffix(2)
                #expect(edges.allSatisfy { !$0.contains(true) }, "no quiet zone above or below the code")
                #expect(modules.allSatisfy { !$0.prefix(2).contains(true) && !$0.suffix(2).contains(true) },
                        "no quiet zone left or right of the code")
                let decoded = try ZBar.decode(modules: modules)
                #expect(decoded.firstMatch(of: /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9A-Za-z]{10}$/) != nil,
                        "the QR code reads \"\(decoded)\", not a WeChat pay link")

                #expect(try sandbox.customerPays(order) == 200)
                // The result screen itself ("next sale"), not the step line that says PAID a moment before it.
                let paid = try await tmux.waitFor("PAID", order, "next sale")
                #expect(paid.firstMatch(of: /Trade number: \d{6,}/) != nil, "\(paid)")
                #expect(!paid.contains("TRAINING"), "a configured till is not training:\n\(paid)")
                try await quit(tmux)
            }
        }
    }

    @Test("training: a scan read by a till kept off the processor mid-burst (as on a busy machine) still pays 12.30")
    func scanWhileTheTillIsDescheduled() async throws {
        try await till.withTmuxTill { tmux in
            try await key(amount: "12.30", on: tmux)
            // Stopped after 7 digits for 300 ms: the rest of the code and Enter wait in the terminal.
            try await tmux.scan(TillHome.wechatCode, stoppingTillAfter: 7, for: .milliseconds(300))
            let paid = try await tmux.waitFor("PAID", "next sale", within: .seconds(15))
            #expect(paid.contains("HKD 12.30"), "the amount keyed before the scan is not the one paid:\n\(paid)")
            #expect(!paid.contains(TillHome.wechatCode), "the full code was shown:\n\(paid)")
            try tmux.press("Enter")
            try await tmux.waitFor("New sale")
            try await quit(tmux)
        }
    }

    @Test("training, 7.05 (the customer keeps confirming): Esc, y → CANCELLED within seconds")
    func cancelWithEscape() async throws {
        try await till.withTmuxTill { tmux in
            try await key(amount: "7.05", on: tmux)
            let screens = try await scanAndWait(tmux, for: "Waiting for payment", TillHome.maskedWechatCode)
            for screen in screens {
                #expect(!screen.contains(TillHome.wechatCode), "the full payment code was on screen:\n\(screen)")
            }
            try tmux.press("Escape")
            try await tmux.waitFor("Cancel this payment? y/n")
            try tmux.press("y")
            let cancelled = try await tmux.waitFor("CANCELLED", "next sale", within: .seconds(15))
            #expect(cancelled.contains("the customer was not charged"), "\(cancelled)")
            try await quit(tmux)
        }
    }

    @Test("training: refund HKD 5.00 of a paid order with the manager PIN → REFUNDED, HKD 7.30 left")
    func refundWithPIN() async throws {
        try await setPIN("4826")
        try await till.withTmuxTill { tmux in
            try await key(amount: "12.30", on: tmux)
            let paidScreen = try #require(try await scanAndWait(tmux, for: "PAID").last)
            let order = try #require(paidScreen.firstMatch(of: /Order (S[0-9A-Z]{12,})/).map { String($0.1) })
            try tmux.press("Enter")
            try await tmux.waitFor("New sale")

            try tmux.press("m")
            try await tmux.waitFor("Refund (owner: manager PIN)")
            try tmux.press("f")
            try await tmux.waitFor("Type the manager PIN")
            try tmux.type("4826")
            let masked = try await tmux.waitFor("••••")
            #expect(!masked.contains("4826"), "the PIN was shown as typed:\n\(masked)")
            try tmux.press("Enter")
            try await tmux.waitFor("Pick the paid order", order)
            try tmux.press("Enter")
            try await tmux.waitFor("Refundable  HKD 12.30", "Amount      HKD 12.30")
            try tmux.press("DC")
            try tmux.type("5.00")
            try await tmux.waitFor("Amount      HKD 5.00")
            try tmux.press("Enter")
            try await tmux.waitFor("Reason")
            try tmux.type("wrong size")
            try await tmux.waitFor("wrong size")
            try tmux.press("Enter")
            try await tmux.waitFor("Refund HKD 5.00 to the customer's WeChat Pay? y/n")
            try tmux.press("y")
            let done = try await tmux.waitFor("REFUNDED HKD 5.00", "Still refundable: HKD 7.30")
            #expect(done.contains("TRAINING"), "\(done)")
            try tmux.press("Enter")
            try await tmux.waitFor("Menu")
            try await quit(tmux)
        }
        let orders = try await till.run(["orders", "--json"])
        let listed = try #require(try orders.json()[objects: "orders"])
        #expect(listed.first?[string: "refunded"] == "5.00", "\(orders)")
    }

    @Test("training: a wrong PIN says so and how many attempts are left; no order is offered for a refund")
    func wrongPIN() async throws {
        try await setPIN("4826")
        try await till.withTmuxTill { tmux in
            try await tmux.waitFor("New sale", within: .seconds(10))
            try tmux.press("F4")
            try await tmux.waitFor("Type the manager PIN")
            try tmux.type("1111")
            try tmux.press("Enter")
            let first = try await tmux.waitFor("Wrong PIN.")
            let left = try #require(first.firstMatch(of: /(\d+) attempts? left/).flatMap { Int($0.1) },
                                    "the screen does not say how many attempts are left:\n\(first)")
            #expect(left >= 1)
            #expect(!first.contains("Pick the paid order"), "\(first)")

            try tmux.type("2222")
            try tmux.press("Enter")
            let second = try await tmux.waitUntil("one attempt fewer left") { screen in
                // The first notice says "locked for a while" too: only the lockout's own words count.
                screen.contains("Wrong PIN. \(left - 1) attempt") || screen.contains("Too many wrong PINs")
            }
            #expect(!second.contains("Pick the paid order"), "\(second)")
            #expect(second.contains("Type the manager PIN"), "a wrong PIN left the PIN entry:\n\(second)")
            try tmux.press("Escape")
            try await tmux.waitFor("Menu")
            try await quit(tmux)
        }
    }

    /// True when `screen` is drawn for `columns`×`rows`: that many rows, the header's clock and
    /// the title's rule reaching the right edge, the footer on the last row.
    private func drawn(_ screen: String, columns: Int, rows: Int, footer: String) -> Bool {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == rows else { return false }
        // Both end one column short of the edge; trailing spaces are not captured.
        return lines[0].count == columns - 1 && lines[1].count == columns - 1 && lines[rows - 1].contains(footer)
    }

    @Test("training: resized to 100×30 and back while waiting on 7.05 → redrawn each time; Esc still cancels")
    func resizeWhileWaiting() async throws {
        try await till.withTmuxTill { tmux in
            try await key(amount: "7.05", on: tmux)
            _ = try await scanAndWait(tmux, for: "Waiting for payment", TillHome.maskedWechatCode)

            try tmux.resize(columns: 100, rows: 30)
            let size = try tmux.paneSize()
            #expect(size.columns == 100 && size.rows == 30, "tmux did not resize the pane: \(size)")
            let large = try await tmux.waitUntil("the waiting screen drawn at 100×30") { screen in
                drawn(screen, columns: 100, rows: 30, footer: "Esc cancel payment") && screen.contains("Waiting for payment")
            }
            #expect(large.contains(TillHome.maskedWechatCode), "\(large)")

            try tmux.resize(columns: 80, rows: 24)
            try await tmux.waitUntil("the waiting screen drawn at 80×24 again") { screen in
                drawn(screen, columns: 80, rows: 24, footer: "Esc cancel payment") && screen.contains("Waiting for payment")
            }

            try tmux.press("Escape")
            try await tmux.waitFor("Cancel this payment? y/n")
            try tmux.press("y")
            try await tmux.waitFor("CANCELLED", "next sale", within: .seconds(15))
            try await quit(tmux)
        }
    }
}
