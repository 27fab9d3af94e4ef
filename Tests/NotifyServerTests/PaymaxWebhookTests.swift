import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import NotifyServer
import PaymaxGateway
import Sandbox
import Synchronization
import Testing
import TestSupport
import Till

/// Curl, and a signal after each answer: the test waits for a delivery, never for a poll.
final class ObservedTransport: HTTPTransport {
    let inner: CurlTransport
    let requests = Mutex<[HTTPRequest]>([])
    private let answered: AsyncStream<Void>.Continuation
    let answers: AsyncStream<Void>

    init() throws {
        inner = try CurlTransport()
        (answers, answered) = AsyncStream.makeStream(of: Void.self)
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        requests.withLock { $0.append(request) }
        defer { answered.yield() }
        return try await inner.send(request)
    }

    /// Waits until `count` requests have been answered in all.
    func waitFor(_ count: Int) async {
        var iterator = answers.makeAsyncIterator()
        var seen = 0
        while seen < count, await iterator.next() != nil { seen += 1 }
    }
}

/// Paymax's webhooks from the sandbox through `shroff notify-server`'s receiver into a real ledger.
@Suite struct PaymaxWebhookTests {
    /// A Paymax sandbox and a receiver on loopback, a ledger file, and a till on a stepping clock.
    struct Setup {
        let folder: String
        let ledger: Ledger
        let sandbox: PaymaxSandbox
        let sandboxServer: RunningSandbox
        let receiver: RunningNotifyServer
        let deliveries: ObservedTransport
        let runner: CheckoutRunner
        let clock: SteppingClock
        let client: CurlTransport

        /// `timeExpire`: how long Paymax keeps the charge payable (the till gives up at its qr_timeout, 180 s).
        static func start(timeExpire: Duration = .seconds(180)) async throws -> Setup {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PaymaxWebhooks-\(UUID().uuidString)").path
            let keys = PaymaxSandboxKeys.training(in: folder + "/keys")
            let ledger = try Ledger(path: folder + "/ledger.sqlite")
            let clock = SteppingClock()
            let origin = Date()
            let wall: @Sendable () -> Date = {
                let offset = clock.now.offset.components
                return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
            }
            let account = { (base: String) in
                PaymaxAccount(baseURL: base, appKey: PaymaxSandbox.trainingAppKey, secretKey: PaymaxSandbox.trainingSecretKey,
                              merchantKey: keys.merchant, paymaxKey: keys.paymaxPublic, timeExpire: timeExpire,
                              returnURL: "http://127.0.0.1/paid")
            }
            let verifier = PaymaxGateway(account: account("http://127.0.0.1:1/merchant-api"), transport: try CurlTransport())
            let receiver = try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: ledger), host: "127.0.0.1", port: 0)
            let deliveries = try ObservedTransport()
            let sandbox = PaymaxSandbox(keys: keys, clock: clock.checkoutClock, wallClock: wall, webhookURL: receiver.url(for: "paymax"),
                                        deliveries: SandboxDeliveries(transport: deliveries, clock: clock.checkoutClock))
            let sandboxServer = try await SandboxServer.start(sandbox)
            let gateway = PaymaxGateway(account: account("http://127.0.0.1:\(sandboxServer.port)/merchant-api"), transport: try CurlTransport(), now: wall)
            let runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                        clock: clock.checkoutClock, wallClock: wall)
            return Setup(folder: folder, ledger: ledger, sandbox: sandbox, sandboxServer: sandboxServer, receiver: receiver,
                         deliveries: deliveries, runner: runner, clock: clock, client: try CurlTransport())
        }

        func stop() async {
            await sandboxServer.stop()
            await receiver.stop()
            try? ledger.close()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    @Test func aChargeWebhookMarksTheOrderPaidOnceAndAForgedOneChangesNothing() async throws {
        let setup = try await Setup.start()
        do {
            // ..01: the customer pays at once; the sandbox posts the CHARGE webhook.
            let report = try await setup.runner.payByQR(Money(minorUnits: 12_01, currency: .cny), wallet: .alipay, subject: "Noodles")
            await setup.deliveries.waitFor(1)
            let order = try #require(try setup.ledger.order(report.order.id))
            #expect(order.status == .paid)
            let webhook = try #require(setup.deliveries.requests.withLock { $0.first })
            let events = try setup.ledger.events(for: report.order.id).count

            // Paymax sends the same event again: normal, answered success, nothing changes.
            let again = try await setup.client.send(HTTPRequest(url: webhook.url, headers: webhook.headers, body: webhook.body))
            #expect(again.status == 200 && again.bodyText == "success")
            #expect(try setup.ledger.events(for: report.order.id).count == events)

            // A forged one (the amount changed after signing) is refused and changes nothing.
            let forged = String(decoding: webhook.body, as: UTF8.self).replacingOccurrences(of: "\"SUCCEED\"", with: "\"FAILED\"")
            let refused = try await setup.client.send(HTTPRequest(url: webhook.url, headers: webhook.headers, body: Array(forged.utf8)))
            #expect(refused.status == 403 && refused.bodyText != "success")
            #expect(try setup.ledger.order(report.order.id)?.status == .paid)
            #expect(try setup.ledger.events(for: report.order.id).count == events)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aRefundWebhookSettlesAProcessingRefundWithoutTheTillAsking() async throws {
        let setup = try await Setup.start()
        do {
            let sale = try await setup.runner.payByQR(Money(minorUnits: 20_01, currency: .cny), wallet: .alipay, subject: "Noodles")
            await setup.deliveries.waitFor(1)
            #expect(try setup.ledger.order(sale.order.id)?.status == .paid)
            // A partial refund of ..07 cents: processing, settled 5 s later.
            let refund = try await setup.runner.refund(sale.order.id, amount: Money(minorUnits: 10_07, currency: .cny), reason: "cold")
            // Processing, unless the webhook overtook the answer (the stepping clock runs the
            // sandbox's 5 s timer at once): then the ledger's refunded stands.
            switch refund.outcome {
            case .processing, .refunded: break
            default: Issue.record("a processing refund ended \(refund.outcome)")
            }
            // The sandbox's own timer settles the refund and posts the REFUND webhook.
            await setup.deliveries.waitFor(1)
            #expect(try setup.ledger.refunds(for: sale.order.id).map(\.status) == [.refunded])
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aPaymentAfterTheTillGaveUpIsFlaggedNotLost() async throws {
        // Paymax keeps the charge payable for 10 minutes; the till stops waiting after 3.
        let setup = try await Setup.start(timeExpire: .seconds(600))
        do {
            let report = try await setup.runner.payByQR(Money(minorUnits: 15_00, currency: .cny), wallet: .alipay, subject: "Noodles")
            // Paymax has no close: the till can only stop waiting.
            #expect(report.result == .expired(closed: false))
            #expect(try setup.ledger.order(report.order.id)?.status == .expired)

            #expect(await setup.sandbox.customerPays(report.order.id.rawValue))
            await setup.deliveries.waitFor(1)
            let order = try #require(try setup.ledger.order(report.order.id))
            #expect(order.status == .expired)
            #expect(order.attention?.contains("paid after close") == true, "\(order.attention ?? "no flag")")
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func theCustomersBrowserLandsOnAThankYouPageThatChangesNothing() async throws {
        try await withReceiver { f in
            let page = try await f.get("/paid")
            #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.bodyText.contains("Thank you"))
            #expect(try await f.post([], path: "/paid").status == 405)
            try f.expectUntouched("the thank-you page")
        }
    }
}
