import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import PaymaxGateway
import Sandbox
import Signing
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// Waits, answer by answer, until `condition` holds (a retried delivery is one more answer).
    func waitUntil(_ condition: () throws -> Bool) async rethrows {
        var iterator = answers.makeAsyncIterator()
        while try !condition(), await iterator.next() != nil {}
    }
}

/// Paymax's webhooks from the sandbox through `shroff notify-server`'s receiver into a real ledger.
@Suite(.timeLimit(.minutes(2))) struct PaymaxWebhookTests {
    /// A Paymax sandbox and a receiver on loopback, a ledger file, and a till on a stepping clock.
    /// The receiver's gateway asks the same sandbox about charges the ledger has not recorded.
    struct Setup {
        let folder: String
        let ledger: SQLiteLedger
        let sandbox: PaymaxSandbox
        let sandboxServer: RunningSandbox
        let receiver: RunningNotifyServer
        let receiverLogs: CapturedLogs
        let deliveries: ObservedTransport
        let runner: CheckoutRunner
        let clock: SteppingClock
        let client: CurlTransport

        /// `timeExpire`: how long Paymax keeps the charge payable (the till gives up at its qr_timeout, 180 s).
        /// `channels` and `extra` are the account's; with `payLinks` the till gives out short pay
        /// links under the receiver's own address, with tokens from the CSPRNG. `runnerClock`
        /// replaces the stepping clock for the till's waits (one that a customer can pay within).
        static func start(timeExpire: Duration = .seconds(180), channels: [String] = ["alipay_web"], extra: [String: String] = [:],
                          payLinks: Bool = false, runnerClock: CheckoutClock? = nil) async throws -> Setup {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("PaymaxWebhooks-\(UUID().uuidString)").path
            let keys = PaymaxSandboxKeys.training(in: folder + "/keys")
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            let clock = SteppingClock()
            let origin = Date()
            let wall: @Sendable () -> Date = {
                let offset = clock.now.offset.components
                return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
            }
            let account = { (port: Int) in
                PaymaxAccount(baseURL: "http://127.0.0.1:\(port)/merchant-api", appKey: PaymaxSandbox.trainingAppKey,
                              secretKey: PaymaxSandbox.trainingSecretKey, livemode: false, merchantKey: keys.merchant,
                              paymaxKey: keys.paymaxPublic, channels: channels, timeExpire: timeExpire, returnURL: "http://127.0.0.1/paid",
                              extra: extra)
            }
            // The receiver is started first (the sandbox posts to it), its gateway asking Paymax at
            // a port reserved for the sandbox. Another test may take that port in between: then
            // both start again on another.
            let receiverLogs = CapturedLogs()
            let deliveries = try ObservedTransport()
            var started: (RunningNotifyServer, PaymaxSandbox, RunningSandbox)?
            for attempt in 1...5 where started == nil {
                let reserved = try LoopbackSocket.bound()
                close(reserved.fd)
                let verifier = PaymaxGateway(account: account(reserved.port), transport: try CurlTransport(), now: wall)
                let receiver = try await NotifyServer.start(NotificationReceiver(gateways: [verifier], ledger: ledger,
                                                                                 logger: receiverLogs.logger("shroff.notify")),
                                                            host: "127.0.0.1", port: 0)
                let sandbox = PaymaxSandbox(keys: keys, clock: clock.checkoutClock, wallClock: wall, webhookURL: receiver.url(for: "paymax"),
                                            deliveries: SandboxDeliveries(transport: deliveries, clock: clock.checkoutClock))
                do {
                    started = (receiver, sandbox, try await SandboxServer.start(sandbox, host: "127.0.0.1", port: reserved.port))
                } catch where attempt < 5 {
                    await receiver.stop()
                }
            }
            guard let (receiver, sandbox, sandboxServer) = started else { throw LoopbackSocket.Failure(description: "no port for the sandbox") }
            let gateway = PaymaxGateway(account: account(sandboxServer.port), transport: try CurlTransport(), now: wall)
            let issuer = payLinks ? PayLinkIssuer(publicURL: "http://127.0.0.1:\(receiver.port)", makeToken: { try SecureRandom.urlToken() }) : nil
            let runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: CheckoutPolicy(), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                        clock: runnerClock ?? clock.checkoutClock, wallClock: wall, payLinks: issuer)
            return Setup(folder: folder, ledger: ledger, sandbox: sandbox, sandboxServer: sandboxServer, receiver: receiver,
                         receiverLogs: receiverLogs, deliveries: deliveries, runner: runner, clock: clock, client: try CurlTransport())
        }

        /// The first webhook the sandbox delivered of `type` (CHARGE or REFUND).
        func delivered(_ type: String) throws -> HTTPRequest {
            try #require(deliveries.requests.withLock { $0.first { String(decoding: $0.body, as: UTF8.self).contains(#""type":"\#(type)""#) } })
        }

        /// Posts a webhook the sandbox delivered again, as Paymax resends it.
        func resend(_ webhook: HTTPRequest) async throws -> HTTPResponse {
            try await client.send(HTTPRequest(url: webhook.url, headers: webhook.headers, body: webhook.body))
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

    @Test func theTillRecordsTheChargeIDFromTheCreateAnswer() async throws {
        let setup = try await Setup.start()
        do {
            let report = try await setup.runner.payByQR(Money(minorUnits: 15_00, currency: .cny), wallet: .alipay, subject: "Noodles")
            let charge = try #require(await setup.sandbox.charge(orderNo: report.order.id.rawValue))
            #expect(try setup.ledger.order(report.order.id)?.gatewayTradeID == charge.chargeID)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func anotherMerchantsChargeUnderOurOrderNumberIsAcknowledgedAndLeavesTheOrderUnpaid() async throws {
        let setup = try await Setup.start()
        do {
            // ..22: as the charge is made, Paymax posts another merchant's paid charge that
            // reuses our order number, signed like every webhook. Ours is never paid.
            let report = try await setup.runner.payByQR(Money(minorUnits: 12_22, currency: .cny), wallet: .alipay, subject: "Noodles")
            await setup.deliveries.waitFor(1)
            let ours = try #require(await setup.sandbox.charge(orderNo: report.order.id.rawValue))
            let order = try #require(try setup.ledger.order(report.order.id))
            #expect(order.status == .expired && report.result == .expired(closed: false), "\(order.status)")
            #expect(order.attention == nil, "another merchant's payment is not ours, not even paid after close")
            #expect(order.gatewayTradeID == ours.chargeID)
            let webhook = try setup.delivered("CHARGE")
            let foreign = try #require(String(decoding: webhook.body, as: UTF8.self).firstMatch(of: /"id":"(ch_[0-9a-f]{24})"/).map { String($0.1) })
            #expect(foreign != ours.chargeID)
            // Acknowledged, so Paymax stops resending what can never apply; the reason is logged.
            let again = try await setup.resend(webhook)
            #expect(again.status == 200 && again.bodyText == "success")
            #expect(setup.receiverLogs.text.contains("notification ignored") && setup.receiverLogs.text.contains(foreign), "\(setup.receiverLogs.text)")
            #expect(try setup.ledger.events(for: report.order.id).allSatisfy { $0.kind != .notification })
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aChargeOfTheOtherModeIsAcknowledgedAndLeavesTheOrderUnpaid() async throws {
        let setup = try await Setup.start()
        do {
            // ..21: a live-mode charge under our order number; the sandbox account is test mode.
            let report = try await setup.runner.payByQR(Money(minorUnits: 12_21, currency: .cny), wallet: .alipay, subject: "Noodles")
            await setup.deliveries.waitFor(1)
            let order = try #require(try setup.ledger.order(report.order.id))
            #expect(order.status == .expired && order.attention == nil)
            let again = try await setup.resend(try setup.delivered("CHARGE"))
            #expect(again.status == 200 && again.bodyText == "success")
            #expect(setup.receiverLogs.text.contains("live charge") && setup.receiverLogs.text.contains("livemode = false"),
                    "\(setup.receiverLogs.text)")
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aChargeWhoseCreateAnswerWasLostIsPaidOnceItsChargeIsConfirmed() async throws {
        let setup = try await Setup.start()
        do {
            // ..06: the charge is made but answered HTTP 500: the ledger has no charge id for it.
            let report = try await setup.runner.payByQR(Money(minorUnits: 16_06, currency: .cny), wallet: .alipay, subject: "Noodles")
            #expect(try setup.ledger.order(report.order.id)?.gatewayTradeID == nil)
            #expect(await setup.sandbox.customerPays(report.order.id.rawValue))
            try await setup.deliveries.waitUntil { try setup.ledger.order(report.order.id)?.status == .paid }
            // The receiver asked the sandbox about the webhook's charge with the till's own key.
            let charge = try #require(await setup.sandbox.charge(orderNo: report.order.id.rawValue))
            let order = try #require(try setup.ledger.order(report.order.id))
            #expect(order.status == .paid && order.gatewayTradeID == charge.chargeID, "\(order)")
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    @Test func aRefundMadeInTheBackOfficeIsRecordedOnceAsExternalAndFlagged() async throws {
        let setup = try await Setup.start()
        do {
            // ..23: paid at once; once that webhook is acknowledged, the owner refunds 1.00 in Paymax's back office.
            let sale = try await setup.runner.payByQR(Money(minorUnits: 20_23, currency: .cny), wallet: .alipay, subject: "Noodles")
            try await setup.deliveries.waitUntil { try !setup.ledger.refunds(for: sale.order.id).isEmpty }
            let refunds = try setup.ledger.refunds(for: sale.order.id)
            let external = try #require(refunds.first)
            #expect(refunds.count == 1 && external.origin == .external && external.status == .refunded, "\(refunds)")
            #expect(external.amount == Money(minorUnits: 1_00, currency: .cny))
            let atPaymax = try #require(await setup.sandbox.charge(orderNo: sale.order.id.rawValue))
            #expect(external.gatewayRefundID == atPaymax.refunds.first?.id && atPaymax.refunds.first?.refundNumber == nil)
            let order = try #require(try setup.ledger.order(sale.order.id))
            #expect(order.status == .paid && order.attention?.contains("refund made outside the till") == true)
            #expect(try setup.ledger.refundableRemainder(of: sale.order.id) == Money(minorUnits: 19_23, currency: .cny))
            // Paymax sends it again: acknowledged, nothing changes.
            let events = try setup.ledger.events(for: sale.order.id)
            let again = try await setup.resend(try setup.delivered("REFUND"))
            #expect(again.status == 200 && again.bodyText == "success")
            #expect(try setup.ledger.refunds(for: sale.order.id) == refunds)
            #expect(try setup.ledger.events(for: sale.order.id) == events)
            // The till refunds what is left under its own number.
            let rest = try await setup.runner.refund(sale.order.id, amount: nil, reason: "cold")
            #expect(rest.outcome == .refunded && rest.refund.amount == Money(minorUnits: 19_23, currency: .cny))
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
