import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import NotifyServer
import Synchronization
import Testing

/// What the receiver answers for a pay link, whatever the ledger holds for it: links written
/// straight into the ledger (as a till writes them) and fetched over loopback with curl.
@Suite struct PayLinkServingTests {
    /// The receiver's clock, moved only by the test: from now, or from a day long past when
    /// the test is about the clock.
    final class WallClock: Sendable {
        let start: Date
        private let now: Mutex<Date>
        init(start: Date = Date()) {
            self.start = start
            now = Mutex(start)
        }
        func read() -> Date { now.withLock { $0 } }
        func set(_ seconds: TimeInterval) { now.withLock { [start] in $0 = start.addingTimeInterval(seconds) } }
    }

    /// Records a link to `credential` for a new pending order, usable for 180 s from the
    /// clock's start; returns its path.
    static func link(_ credential: String, in f: ReceiverFixture, token: String, clock: WallClock) throws -> String {
        let order = Order(id: try OrderID("S250615120000" + String(token.prefix(6)).uppercased()), provider: "wantu", method: .qr,
                          wallet: .alipay, amount: Money(minorUnits: 1230, currency: .hkd), subject: "Two coffees",
                          maskedCode: nil, createdAt: clock.start)
        try f.ledger.insert(order)
        try f.ledger.recordPayLink(token: token, order: order.id, credential: credential,
                                   expiresAt: clock.start.addingTimeInterval(180), at: clock.start)
        return PayLink.pathPrefix + token
    }

    static func token(_ n: Int) -> String { "tok\(n)en" + String(repeating: "x", count: 22 - 5 - String(n).count) }

    @Test func aLinkRedirectsOnlyToAWebAddressAndAFormOnlyToOne() async throws {
        let clock = WallClock()
        try await withReceiver(wallClock: clock.read) { f in
            let web = "https://mapi.alipay.com/gateway.do?out_trade_no=ch_1&sign=abc"
            #expect(try await f.get(try Self.link(web, in: f, token: Self.token(0), clock: clock)).header("Location") == web)

            let refused = [
                "javascript:alert(document.cookie)", "JavaScript://shop.example/%0Aalert(1)", "data:text/html,<script>alert(1)</script>",
                "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j", "https://", "//evil.example/pay", "https://shop.example/pay\r\nSet-Cookie: a=b",
                #"<form method="post" action="javascript:alert(1)"><input type="hidden" name="a" value="b"></form>"#,
                #"<form method="post" action="data:text/html,x"><input type="hidden" name="a" value="b"></form>"#,
            ]
            let over = try await f.get("/pay/" + String(repeating: "A", count: 22))
            #expect(over.status == 410)
            for (n, credential) in refused.enumerated() {
                let answer = try await f.get(try Self.link(credential, in: f, token: Self.token(n + 1), clock: clock))
                // The page any ended link gets: no Location, no trace of the credential.
                #expect(answer.status == 410 && answer.header("Location") == nil && answer.bodyText == over.bodyText,
                        "\(credential): \(answer.status) \(answer.header("Location") ?? "-")")
            }
        }
    }

    @Test func aLinkEndsAtItsExpiryByTheReceiversClock() async throws {
        let clock = WallClock(start: Date(timeIntervalSince1970: 1_750_000_000))
        try await withReceiver(wallClock: clock.read) { f in
            let web = "https://mapi.alipay.com/gateway.do?out_trade_no=ch_2&sign=abc"
            let path = try Self.link(web, in: f, token: Self.token(0), clock: clock)
            clock.set(179.999)
            let open = try await f.get(path)
            #expect(open.status == 303 && open.header("Location") == web, "\(open.status)")
            clock.set(180)
            let ended = try await f.get(path)
            #expect(ended.status == 410 && ended.header("Location") == nil, "\(ended.status)")
        }
    }

    /// Character references are read once, as a browser reads them, so every value is posted as
    /// the gateway wrote it (its signature covers them); an input outside the form is not the form's.
    @Test func aFormIsPostedWithItsValuesAsABrowserReadsThemAndOnlyItsOwnInputs() async throws {
        let clock = WallClock()
        try await withReceiver(wallClock: clock.read) { f in
            let credential = """
                <form method="post" action="https://cashier.example/pay?x=1&amp;y=2">
                <input type="hidden" name="pageReturnUrl" value="https:&#47;&#47;shop.example&#x2F;paid&#X2f;">
                <input type="hidden" name="merchantSign" value="a&#43;b&#x3D;&#61;&amp;&#39;">
                </form>
                <input type="hidden" name="after" value="not posted">
                """
            let page = try await f.get(try Self.link(credential, in: f, token: Self.token(0), clock: clock))
            #expect(page.status == 200, "\(page.status)")
            let served = try HTMLReader.read(page.bodyText)
            #expect(served.forms == [HTMLReader.Form(action: "https://cashier.example/pay?x=1&y=2", method: "post")], "\(served.forms)")
            #expect(served.inputs.map(\.pair) == [["pageReturnUrl", "https://shop.example/paid/"], ["merchantSign", "a+b==&'"]],
                    "\(served.inputs)")
            // Python's parser reads the credential's own values the same way.
            let given = try HTMLReader.read(credential)
            #expect(given.inputs.map(\.pair).prefix(2).elementsEqual(served.inputs.map(\.pair)))
        }
    }

    @Test func aLedgerThatCannotBeReadIsLoggedWithoutTheToken() async throws {
        let clock = WallClock()
        try await withReceiver(wallClock: clock.read) { f in
            let token = Self.token(0)
            let path = try Self.link("https://mapi.alipay.com/gateway.do?out_trade_no=ch_3", in: f, token: token, clock: clock)
            try f.ledger.close()
            let answer = try await f.get(path)
            #expect(answer.status == 503 && !answer.bodyText.contains(token), "\(answer.status) \(answer.bodyText)")
            let logged = f.receiverLogs.all.filter { $0.contains("pay link") }
            #expect(logged.count == 1 && logged[0].hasPrefix("error"), "\(f.receiverLogs.text)")
            #expect(!(f.receiverLogs.text + f.serverLogs.text).contains(token), "the token reached a log:\n\(f.receiverLogs.text)")
        }
    }

    @Test func payLinksTakeTheSamePlacesAsNotifications() async throws {
        let clock = WallClock()
        try await withReceiver(limits: NotifyServer.Limits(readTimeout: .seconds(30), maximumConcurrent: 1), wallClock: clock.read) { f in
            let web = "https://mapi.alipay.com/gateway.do?out_trade_no=ch_4&sign=abc"
            let path = try Self.link(web, in: f, token: Self.token(0), clock: clock)
            let (held, hold, _) = try await NotifyServerLimitsTests.holdOne(f, body: Notice.paid().body())
            defer { held.close() }
            let busy = try await f.get(path)
            #expect(busy.status == 503 && busy.header("Retry-After") == "1" && busy.header("Location") == nil, "\(busy.status)")

            hold.release()
            _ = try await onThread { try held.readResponse() }
            let open = try await f.get(path)
            #expect(open.status == 303 && open.header("Location") == web, "\(open.status)")
        }
    }
}
