import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import NotifyServer
import Synchronization
import Testing
import TestSupport
import Till

/// The short pay link over loopback against a real notify server: the Paymax sandbox makes the
/// charge, the till (on real time, so the customer can pay within the wait) gives out
/// `public_url/pay/TOKEN`, and the receiver answers it from the ledger.
@Suite(.timeLimit(.minutes(2))) struct PayLinkTests {
    /// What the till showed for one QR sale, and the sale itself, running.
    struct Sale {
        let link: String
        let credential: String
        let order: OrderID
        let task: Task<CheckoutReport, any Error>

        /// The link's path on the receiver.
        var path: String { String(link.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }) }
    }

    /// Starts a QR sale of `fen` and returns once the till has shown its code.
    static func startSale(_ setup: PaymaxWebhookTests.Setup, fen: Int64, subject: String = "Noodles") async throws -> Sale {
        let (shown, show) = AsyncStream.makeStream(of: (String, String, OrderID).self)
        let task = Task { [runner = setup.runner] in
            defer { show.finish() }
            let link = EndToEndValue<String?>(nil), order = EndToEndValue<OrderID?>(nil)
            return try await runner.payByQR(Money(minorUnits: fen, currency: .cny), wallet: .alipay, subject: subject) { step in
                switch step {
                case .recorded(let id): order.set(id)
                case .payLink(let url): link.set(url)
                case .showQR(let payload): if let url = link.get(), let id = order.get() { show.yield((url, payload, id)) }
                default: break
                }
            }
        }
        for await (link, credential, order) in shown { return Sale(link: link, credential: credential, order: order, task: task) }
        throw PayLinkFailure(description: "the sale ended without a pay link: \(try await task.value.result)")
    }

    struct PayLinkFailure: Error, CustomStringConvertible { let description: String }

    func get(_ setup: PaymaxWebhookTests.Setup, _ path: String) async throws -> HTTPResponse {
        try await setup.client.send(HTTPRequest(url: "http://127.0.0.1:\(setup.receiver.port)\(path)", method: "GET",
                                                timeout: .seconds(30), effect: .idempotent))
    }

    @Test func aLinkRedirectsToItsCredentialWhileTheOrderIsOpenAndSaysThePaymentIsOverOncePaid() async throws {
        let setup = try await PaymaxWebhookTests.Setup.start(payLinks: true, runnerClock: .continuous)
        do {
            // ..24: Alipay's credential as long as a real one.
            let sale = try await Self.startSale(setup, fen: 18_24)
            #expect(sale.credential.count >= 400 && sale.link.hasPrefix("http://127.0.0.1:\(setup.receiver.port)/pay/"), "\(sale.link)")
            let open = try await get(setup, sale.path)
            #expect(open.status == 303 && open.header("Location") == sale.credential, "\(open.status) \(open.header("Location") ?? "-")")

            #expect(await setup.sandbox.customerPays(sale.order.rawValue))
            let report = try await sale.task.value
            #expect(try setup.ledger.order(report.order.id)?.status == .paid)

            let over = try await get(setup, sale.path)
            let unknown = try await get(setup, "/pay/" + String(repeating: "A", count: 22))
            let malformed = try await get(setup, "/pay/..%2Fpaid")
            #expect(over.status == 410 && over.header("Location") == nil && over.bodyText.contains("This payment is over"))
            let charge = try #require(await setup.sandbox.charge(orderNo: sale.order.rawValue)).chargeID
            #expect(!over.bodyText.contains(sale.order.rawValue) && !over.bodyText.contains(charge) && !over.bodyText.contains("alipay"))
            // An ended link and one that never was read the same: a token cannot be probed.
            #expect(unknown.status == over.status && unknown.bodyText == over.bodyText)
            #expect(malformed.status == over.status && malformed.bodyText == over.bodyText)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func twoOrdersLinksAreUnrelatedRandomTokensThatNameNeitherOrder() async throws {
        let setup = try await PaymaxWebhookTests.Setup.start(payLinks: true, runnerClock: .continuous)
        do {
            var tokens: [(token: String, order: OrderID)] = []
            for fen: Int64 in [18_24, 18_24] {
                let sale = try await Self.startSale(setup, fen: fen)
                tokens.append((String(sale.path.dropFirst("/pay/".count)), sale.order))
                #expect(await setup.sandbox.customerPays(sale.order.rawValue))
                _ = try await sale.task.value
            }
            for (token, order) in tokens {
                // 22 characters of base64url: 128 random bits.
                #expect(token.count == 22 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(token)")
                let digits = order.rawValue.filter(\.isNumber)
                #expect(!token.contains(order.rawValue) && !token.contains(digits.suffix(6)), "\(token) for \(order)")
            }
            // Orders a second apart share most of their number; their tokens share nothing by position.
            let (first, second) = (Array(tokens[0].token), Array(tokens[1].token))
            #expect(zip(first, second).filter { $0 == $1 }.count < 6, "\(tokens)")
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aLakalaFormIsServedAsAPageThatPostsItWithEveryValueEscaped() async throws {
        let setup = try await PaymaxWebhookTests.Setup.start(channels: ["lakala_web"], extra: ["user_id": "100001"], payLinks: true,
                                                            runnerClock: .continuous)
        do {
            // A subject with markup in it: the page must carry it as a value, never as markup.
            let subject = #"Tea & "cake" <b>x</b>'"#
            let sale = try await Self.startSale(setup, fen: 18_00, subject: subject)
            #expect(PayLink.isForm(sale.credential))
            let page = try await get(setup, sale.path)
            #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)

            let served = try HTMLReader.read(page.bodyText)
            let given = try HTMLReader.read(sale.credential)
            // One form, to Lakala's cashier, posting exactly the credential's fields.
            #expect(served.forms.count == 1 && served.forms == given.forms, "\(served.forms) vs \(given.forms)")
            #expect(served.forms.first?.action == "http://paymax.lakala.com/mrpos/cashier" && served.forms.first?.method == "post")
            #expect(served.inputs.filter { $0.type == "hidden" }.map(\.pair) == given.inputs.map(\.pair))
            #expect(served.inputs.contains { $0.name == "productName" && $0.value == subject }, "\(served.inputs)")
            #expect(served.inputs.contains { $0.name == "purchaserId" && $0.value == "100001" })
            // No element came from the subject, and one script submits the form.
            #expect(!served.tags.contains("b"), "\(served.tags)")
            #expect(served.scripts.count == 1 && served.scripts[0].contains("submit()"), "\(served.scripts)")

            #expect(await setup.sandbox.customerPays(sale.order.rawValue))
            _ = try await sale.task.value
            #expect(try await get(setup, sale.path).status == 410)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }
}

/// A value a sync callback sets and reads.
final class EndToEndValue<T: Sendable>: Sendable {
    private let value: Mutex<T>
    init(_ initial: T) { value = Mutex(initial) }
    func set(_ new: T) { value.withLock { $0 = new } }
    func get() -> T { value.withLock { $0 } }
}

/// An HTML page as a browser's parser reads it: Python's `html.parser`, run on the page.
struct HTMLReader: Decodable {
    struct Form: Decodable, Equatable { var action: String?; var method: String? }
    struct Input: Decodable, Equatable {
        var type: String?; var name: String?; var value: String?
        var pair: [String?] { [name, value] }
    }
    var forms: [Form]
    var inputs: [Input]
    /// Every start tag's name, in order.
    var tags: [String]
    var scripts: [String]

    static let script = #"""
        import html.parser, json, sys
        class Reader(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.out = {"forms": [], "inputs": [], "tags": [], "scripts": []}
                self.in_script = False
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                self.out["tags"].append(tag)
                if tag == "form": self.out["forms"].append({"action": a.get("action"), "method": (a.get("method") or "get").lower()})
                if tag == "input": self.out["inputs"].append({"type": a.get("type"), "name": a.get("name"), "value": a.get("value")})
                if tag == "script": self.in_script = True; self.out["scripts"].append("")
            def handle_endtag(self, tag):
                if tag == "script": self.in_script = False
            def handle_data(self, data):
                if self.in_script: self.out["scripts"][-1] += data
        reader = Reader()
        reader.feed(sys.stdin.read())
        reader.close()
        print(json.dumps(reader.out))
        """#

    static func read(_ page: String) throws -> HTMLReader {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(page.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(HTMLReader.self, from: data)
    }
}
