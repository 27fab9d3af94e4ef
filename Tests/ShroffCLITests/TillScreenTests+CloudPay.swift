import Foundation
import TestSupport
import Testing

extension TillScreenTests {
    @Test("CloudPay: the QR reads as CloudPay's pay page, the till waits for the notification, PAID; the menu offers no refund")
    func cloudPayQRPayment() async throws {
        let checkout = "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 120"
        try await till.withCloudPay(checkout: checkout) { sandbox, config, _ in
            try await till.withTmuxTill(arguments: ["--config", config]) { tmux in
                try await tmux.waitFor("New sale", within: .seconds(10))
                try tmux.type("12.50")
                try await tmux.waitFor("CNY 12.50")
                try tmux.press("a")
                let shown = try await tmux.waitUntil("the QR code, its order and the wait for CloudPay's notification") { screen in
                    screen.contains("Scan to pay") && screen.contains("▀") && screen.contains("0 notifications")
                        && screen.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/) != nil
                }
                let order = try #require(shown.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/).map { String($0.1) })
                #expect(shown.contains("waiting for CloudPay's"), "\(shown)")
                #expect(!shown.contains("Queries"), "CloudPay cannot be asked, yet queries are counted:\n\(shown)")

                let modules = try #require(CapturedScreen(ansi: try tmux.colouredScreen()).qrModules(), "nothing drawn black on white:\n\(shown)")
                let decoded = try ZBar.decode(modules: modules)
                #expect(decoded.hasPrefix("http://127.0.0.1:\(sandbox.port)/cloudpay/pay/api?id=") && decoded.hasSuffix("&type=alipay"),
                        "the QR code reads \"\(decoded)\", not CloudPay's pay page")

                #expect(try sandbox.customerPays(order) == 200)
                let paid = try await tmux.waitFor("PAID", order, "next sale", within: .seconds(15))
                #expect(paid.contains("Amount: CNY 12.50"), "\(paid)")
                try tmux.press("Enter")
                try await tmux.waitFor("New sale")
                try tmux.press("m")
                let menu = try await tmux.waitFor("Menu")
                #expect(menu.contains("Refund: not offered by cloudpay (use its back office)"), "\(menu)")
                #expect(!menu.contains("Refund (owner: manager PIN)"), "\(menu)")
                try tmux.press("f")
                // The notice wraps at the screen's edge: its words are checked on either side of the break.
                let refused = try await tmux.waitFor("takes no refunds from the till", "merchant back office")
                #expect(refused.contains("back office."), "\(refused)")
                #expect(!refused.contains("Type the manager PIN"), "\(refused)")
                try await quit(tmux)
            }
        }
    }
}

extension TillScreenTests {
    @Test("CloudPay without [notify]: the till does not open, and says why before anything is sent")
    func cloudPayRefusedWithoutNotify() async throws {
        try await till.withCloudPay(checkout: "request_timeout_s = 5", notify: false, serve: false) { sandbox, config, _ in
            try await till.withTmuxTill(arguments: ["--config", config]) { tmux in
                let status = try await tmux.waitForExit()
                #expect(status != 0, "the till opened without a way to learn of CloudPay's payments")
                // The reason wraps at the pane's edge: read it without the line breaks.
                let screen = try tmux.screen()
                let said = screen.filter { !$0.isWhitespace }
                for words in ["has no [notify] table", "start `shroff notify-server`", "/notify/cloudpay", "Nothing was sent"] {
                    #expect(said.contains(words.filter { !$0.isWhitespace }), "\(words) not said:\n\(screen)")
                }
                #expect(!said.contains("Newsale"), "the sale screen was shown")
            }
            #expect(sandbox.logLines(containing: ["cloudpay sandbox"]).isEmpty, "a request reached CloudPay:\n\(sandbox.process.stderr)")
        }
    }
}
