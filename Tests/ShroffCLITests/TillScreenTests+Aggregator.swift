import Foundation
import TestSupport
import Testing

extension TillScreenTests {
    @Test("aggregator: the menu offers no refund and says where to make one; the WeChat QR reads back as a WeChat link; paid → PAID")
    func aggregatorQRPayment() async throws {
        try await till.withExternalSandbox { sandbox in
            let config = try till.write("store/config.toml", TillHome.aggregatorConfig(sandboxPort: sandbox.port, checkout: """
                poll_interval_s = 1
                pay_timeout_s = 10
                request_timeout_s = 2
                qr_timeout_s = 30
                """))
            try await till.withTmuxTill(arguments: ["--config", config]) { tmux in
                try await tmux.waitFor("New sale", within: .seconds(10))
                try tmux.press("m")
                let menu = try await tmux.waitFor("Refund: not offered by aggregator")
                #expect(!menu.contains("Refund (owner: manager PIN)"), "\(menu)")
                try tmux.press("f")
                // The notice wraps at the screen's width.
                try await tmux.waitFor("takes no refunds from the till: refund this order in", "the aggregator's merchant back office.")
                try tmux.press("Escape")

                try await tmux.waitFor("New sale")
                try tmux.type("88.00")
                try await tmux.waitFor("CNY 88.00")
                try tmux.press("w")
                let shown = try await tmux.waitUntil("the QR code with its order number") { screen in
                    screen.contains("Scan to pay") && screen.contains("▀") && screen.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/) != nil
                }
                let order = try #require(shown.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/).map { String($0.1) })
                let modules = try #require(CapturedScreen(ansi: try tmux.colouredScreen()).qrModules(), "nothing drawn black on white:\n\(shown)")
                let decoded = try ZBar.decode(modules: modules)
                #expect(decoded.firstMatch(of: /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9A-Za-z]{10}$/) != nil,
                        "the QR code reads \"\(decoded)\", not a WeChat pay link")

                #expect(try sandbox.customerPays(order) == 200)
                let paid = try await tmux.waitFor("PAID", order, "next sale")
                #expect(paid.contains("CNY 88.00"), "\(paid)")
                try await quit(tmux)
            }
            let orders = try await till.run(["orders", "--config", config, "--json"])
            #expect(try orders.json()[objects: "orders"]?.first?[string: "status"] == "paid", "\(orders)")
        }
    }
}
