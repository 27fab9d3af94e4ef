import Foundation
import TestSupport
import Testing

/// Paymax at an 80×24 counter, every process real (the sandbox, the notify server, the till
/// in tmux or in xterm): WeChat by `wechat_csb` on `w`, drawn as its own short code; an Alipay
/// credential of a real one's length (sandbox `..24`) drawn as a short pay link under
/// `[notify] public_url`, which the notify server answers.
extension PaymaxEndToEndTests {
    /// The pay link's token in `text` (`http://127.0.0.1:PORT/pay/TOKEN`), for the receiver on `port`.
    static func payLinkPath(_ text: String, port: Int) -> String? {
        guard text.hasPrefix("http://127.0.0.1:\(port)/pay/") else { return nil }
        return String(text.dropFirst("http://127.0.0.1:\(port)".count))
    }

    @Test("the till in tmux at 80×24: w makes a wechat_csb charge whose weixin:// code is drawn and read back; paid → PAID")
    func tillWechatCSBSale() async throws {
        try await withPaymax(counter: true) { sandbox, notify in
            try await till.withTmuxTill(arguments: ["--config", notify.config]) { tmux in
                try await tmux.waitFor("New sale", within: .seconds(10))
                try tmux.type("18.00")
                try await tmux.waitFor("CNY 18.00")
                try tmux.press("w")
                let shown = try await tmux.waitUntil("the WeChat code with its order number", within: .seconds(30)) { screen in
                    screen.contains("Scan to pay") && screen.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/) != nil
                }
                let order = try #require(shown.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/).map { String($0.1) })
                #expect(shown.contains("WeChat Pay"), "\(shown)")
                let modules = try #require(CapturedScreen(ansi: try tmux.colouredScreen()).qrModules(), "nothing drawn black on white:\n\(shown)")
                let decoded = try ZBar.decode(modules: modules)
                #expect(decoded.firstMatch(of: /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9a-f]{10}$/) != nil, "the QR code reads \"\(decoded)\"")

                #expect(try sandbox.customerPays(order) == 200)
                try await tmux.waitFor("PAID", order, "next sale", within: .seconds(15))
                try tmux.press("F10")
                #expect(try await tmux.waitForExit() == 0)
            }
        }
    }

    @Test("the till in tmux at 80×24: a real-length alipay_web credential is drawn as public_url/pay/…, which redirects to it until the order is paid")
    func tillLongAlipayCredentialAsPayLink() async throws {
        try await withPaymax(counter: true) { sandbox, notify in
            try await till.withTmuxTill(arguments: ["--config", notify.config]) { tmux in
                try await tmux.waitFor("New sale", within: .seconds(10))
                try tmux.type("18.24")
                try await tmux.waitFor("CNY 18.24")
                try tmux.press("a")
                let shown = try await tmux.waitUntil("the pay link's code with its order number", within: .seconds(30)) { screen in
                    screen.contains("Scan to pay") && screen.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/) != nil
                }
                let order = try #require(shown.firstMatch(of: /Order\s+(S[0-9A-Z]{12,})/).map { String($0.1) })
                let modules = try #require(CapturedScreen(ansi: try tmux.colouredScreen()).qrModules(), "nothing drawn black on white:\n\(shown)")
                let decoded = try ZBar.decode(modules: modules)
                let path = try #require(Self.payLinkPath(decoded, port: notify.port), "the QR code reads \"\(decoded)\"")
                #expect(!decoded.contains(order), "the link names the order: \(decoded)")

                // The customer's phone opens the link: Paymax's Alipay URL, as long as a real one.
                let open = try LoopbackHTTP.exchange("GET", port: notify.port, path: path)
                let credential = try #require(open.headers["location"], "no redirect: \(open.status) \(open.body)")
                #expect(open.status == 303 && credential.hasPrefix("https://mapi.alipay.com/gateway.do?") && credential.count >= 400,
                        "\(open.status) \(credential)")

                #expect(try sandbox.customerPays(order) == 200)
                try await tmux.waitFor("PAID", order, "next sale", within: .seconds(15))
                // Paid: the same link now says the payment is over, as an unknown one does.
                let after = try LoopbackHTTP.exchange("GET", port: notify.port, path: path)
                let unknown = try LoopbackHTTP.exchange("GET", port: notify.port, path: "/pay/AAAAAAAAAAAAAAAAAAAAAA")
                #expect(after.status == 410 && after.headers["location"] == nil && after.body.contains("payment is over"), "\(after)")
                #expect(!after.body.contains(order) && !after.body.contains("alipay"), "\(after.body)")
                #expect(unknown.status == after.status && unknown.body == after.body)
                try tmux.press("F10")
                #expect(try await tmux.waitForExit() == 0)
            }
        }
    }

    @Test("shroff qr at 80×24: a real-length alipay_web credential is drawn as the pay link, read back by zbarimg")
    func qrCommandDrawsThePayLink() async throws {
        try await withPaymax(counter: true) { sandbox, notify in
            let qr = try till.start(["qr", "--amount", "12.24", "--channel", "alipay", "--config", notify.config],
                                    environment: ["COLUMNS": "80", "LINES": "24"])
            let order = try await qr.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#, within: .seconds(30))
            try await qr.waitForStderr(containing: "Waiting:", within: .seconds(30))
            let decoded = try ZBar.decode(modules: Self.modules(inHalfBlocks: qr.stdout))
            let path = try #require(Self.payLinkPath(decoded, port: notify.port), "the QR code reads \"\(decoded)\"\n\(qr.stdout)")
            #expect(try LoopbackHTTP.exchange("GET", port: notify.port, path: path).status == 303)
            #expect(try sandbox.customerPays(order) == 200)
            let run = try await qr.finish(within: .seconds(30))
            #expect(run.exitCode == 0 && run.stdout.contains("Order \(order): PAID CNY 12.24"), "\(run)")
        }
    }

    @Test("shroff qr at 80×24 without [notify] public_url: a real-length credential is not drawn, the setting is named, and the order ends at once (exit 3)")
    func qrCommandWithoutPublicURLNamesTheSettingAndStops() async throws {
        try await withPaymax { _, notify in
            let qr = try till.start(["qr", "--amount", "12.24", "--channel", "alipay", "--config", notify.config],
                                    environment: ["COLUMNS": "80", "LINES": "24"])
            // Nothing the customer could pay with was shown: the command does not wait out qr_timeout_s (100 s).
            let run = try await qr.finish(within: .seconds(30))
            #expect(run.stdout.contains("This QR code is too large for this terminal") && run.stdout.contains("Set [notify] public_url"), "\(run)")
            #expect(!run.stdout.contains("▀") && !run.stdout.contains("mapi.alipay.com"), "a code or the credential was printed:\n\(run)")
            #expect(run.exitCode == 3 && run.stdout.contains("EXPIRED at the till"), "\(run)")
        }
    }

    @Test("shroff qr --channel wechat: a wechat_csb charge Paymax refuses without open_id (sandbox ..25) names [providers.paymax] open_id, exit 1")
    func qrWechatCSBRefusedWithoutOpenIDNamesTheSetting() async throws {
        try await withPaymax(counter: true) { _, notify in
            let run = try await till.run(["qr", "--amount", "12.25", "--channel", "wechat", "--config", notify.config], timeout: .seconds(30))
            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stdout.contains("NOT CHARGED") && run.stdout.contains("set open_id = ") && run.stdout.contains("[providers.paymax]"), "\(run)")
        }
    }

    @Test("shroff info names the channel each key uses, and where pay links point")
    func infoNamesTheChannelOfEachKey() async throws {
        try await withPaymax(counter: true) { _, notify in
            let run = try await till.run(["info", "--config", notify.config], timeout: .seconds(30))
            #expect(run.exitCode == 0, "\(run)")
            #expect(run.stdout.contains("Channels: wechat_csb (w key), alipay_web (a key)"), "\(run.stdout)")
            #expect(run.stdout.contains("pay links: http://127.0.0.1:\(notify.port)/pay/…"), "\(run.stdout)")
        }
    }

    /// Takes screenshots until one decodes (the till is still starting) or `timeout` passes.
    func decodedQR(on screen: XtermScreen, within timeout: Duration = .seconds(40)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        while ContinuousClock.now < deadline {
            attempt += 1
            if let text = try ZBar.decode(file: try screen.screenshot(named: "counter-\(attempt)")) { return text }
            try await Task.sleep(for: .milliseconds(300))
        }
        return nil
    }

    @Test("the till in xterm at 80×24: the wechat_csb code and the alipay_web pay link decode from screenshots", arguments: ["w", "a"])
    func tillInXterm(key: String) async throws {
        try await withPaymax(counter: true) { sandbox, notify in
            let binary = try ShroffBinary.url().path
            let screen = try XtermScreen(theme: .dark, fontSize: 11, command: [binary, "--config", notify.config],
                                         environment: till.environment, directory: till.root)
            defer { screen.stop() }
            // The till takes its lease on the ledger just before its screen (the notify server
            // holds the other); keys typed after that wait in the tty.
            let owners = till.root + "/store/ledger.sqlite.owners"
            let deadline = ContinuousClock.now + .seconds(30)
            while ((try? FileManager.default.contentsOfDirectory(atPath: owners)) ?? []).filter({ $0.hasSuffix(".lease") }).count < 2,
                  ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try screen.type("18.24")
            try screen.type(key)
            let text = try #require(try await decodedQR(on: screen), "no QR code could be read from the xterm screenshots (\(key))")
            if key == "w" {
                #expect(text.firstMatch(of: /^weixin:\/\/wxpay\/bizpayurl\?pr=[0-9a-f]{10}$/) != nil, "the QR code reads \"\(text)\"")
            } else {
                let path = try #require(Self.payLinkPath(text, port: notify.port), "the QR code reads \"\(text)\"")
                #expect(try LoopbackHTTP.exchange("GET", port: notify.port, path: path).status == 303)
            }
        }
    }
}
