import CheckoutCore
import Foundation
import HTTPTransport
import Sandbox
import Synchronization
import Testing
import TestSupport
import WantuGateway

/// A receiver as a fake transport: records each notification posted and answers from a script.
final class RecordingReceiver: HTTPTransport {
    private let posted = Mutex<[HTTPRequest]>([])
    private let replies: Mutex<[String]>
    private let arrivals: AsyncStream<Void>.Continuation
    let arrived: AsyncStream<Void>

    /// `replies`: the bodies answered in turn; the last one repeats.
    init(replies: [String]) {
        self.replies = Mutex(replies)
        (arrived, arrivals) = AsyncStream.makeStream(of: Void.self)
    }

    var requests: [HTTPRequest] { posted.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        posted.withLock { $0.append(request) }
        let body = replies.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
        arrivals.yield()
        return HTTPResponse(status: 200, body: Array(body.utf8))
    }

    /// Waits until `count` notifications have been posted in all.
    func waitFor(_ count: Int) async {
        var iterator = arrived.makeAsyncIterator()
        while requests.count < count { _ = await iterator.next() }
    }
}

@Suite("The sandbox posts Wantu's notification when an order is paid")
struct SandboxNotificationTests {
    static let success = #"{"return_code":"SUCCESS"}"#
    static let fail = #"{"return_code":"FAIL","return_msg":"busy"}"#

    /// What a till's gateway makes of a posted notification.
    static func verdict(_ request: HTTPRequest) -> NotificationVerdict {
        let gateway = WantuGateway(account: WantuAccount(
            baseURL: "http://127.0.0.1:1/paygate", merchantAccount: SandboxAccount.training.merchantAccount,
            storeAccount: SandboxAccount.training.storeAccount, key: SandboxAccount.training.key, notifyURL: "http://127.0.0.1/n",
            currency: .hkd, timeZone: TimeZone(identifier: "Asia/Hong_Kong")!), transport: RecordingReceiver(replies: [""]))
        return gateway.verifyNotification(IncomingNotification(headers: request.headers, body: request.body))
    }

    @Test func aPaymentIsAnnouncedSignedToItsNotifyURLAndRetriedUntilSuccess() async throws {
        let receiver = RecordingReceiver(replies: [Self.fail, Self.fail, Self.success])
        let h = SandboxHarness(deliveries: { SandboxDeliveries(transport: receiver, clock: $0, attempts: 5, retryInterval: .seconds(3)) })

        let paid = await h.pospay("1250", order: "S240308090000NOTE01")
        #expect(paid.fields["return_code"]?.text == "200")
        await receiver.waitFor(3)

        let requests = receiver.requests
        #expect(requests.count == 3, "it stopped retrying before SUCCESS, or went on after it")
        #expect(requests.allSatisfy { $0.url == "http://127.0.0.1:9/notify" })
        guard case .payment(let order, .paid(let confirmation)) = Self.verdict(requests[0]) else {
            Issue.record("the notification is not a verified payment: \(Self.verdict(requests[0]))"); return
        }
        #expect(order.rawValue == "S240308090000NOTE01")
        #expect(confirmation.amount == Money(minorUnits: 1250, currency: .hkd))
        #expect(confirmation.gatewayTradeID == paid.fields["trade_id"]?.text)
        // Retries are spaced on the sandbox's clock, as a gateway spaces them.
        #expect(h.clock.sleepsTaken.filter { $0 == .seconds(3) }.count >= 2)
    }

    @Test func anOrderThatPaysItselfLaterIsAnnouncedWhenItPays() async throws {
        let receiver = RecordingReceiver(replies: [Self.success])
        let h = SandboxHarness(deliveries: { SandboxDeliveries(transport: receiver, clock: $0) })

        let paying = await h.pospay("1204", order: "S240308090000NOTE02")  // ..04: paid 8 s later
        #expect(paying.fields["return_code"]?.text == "506")
        await receiver.waitFor(1)

        #expect(h.clock.now.offset >= SandboxScenario.confirmDelay, "announced before the customer confirmed")
        guard case .payment(_, .paid) = Self.verdict(receiver.requests[0]) else { Issue.record("not a payment"); return }
    }

    @Test func aDeclinedOrUnpaidOrderIsNeverAnnounced() async throws {
        let receiver = RecordingReceiver(replies: [Self.success])
        let h = SandboxHarness(deliveries: { SandboxDeliveries(transport: receiver, clock: $0) })
        _ = await h.pospay("1201", order: "S240308090000NOTE03")  // ..01: declined
        _ = await h.createQR("1200", order: "S240308090000NOTE04")  // waits for a customer
        // A QR order paid by hand is announced; nothing before it was.
        #expect(await h.sandbox.payQROrder("S240308090000NOTE04"))
        await receiver.waitFor(1)
        #expect(receiver.requests.count == 1)
        guard case .payment(let order, .paid) = Self.verdict(receiver.requests[0]) else { Issue.record("not a payment"); return }
        #expect(order.rawValue == "S240308090000NOTE04")
    }

    @Test func aFourteenCentOrderIsAnnouncedByItsTradeAloneAsTheSeedsExampleIs() async throws {
        let receiver = RecordingReceiver(replies: [Self.success])
        let h = SandboxHarness(deliveries: { SandboxDeliveries(transport: receiver, clock: $0) })

        let paying = await h.pospay("1214", order: "S240308090000NOTE05")  // ..14: paid 8 s later
        #expect(paying.fields["return_code"]?.text == "506")
        _ = await h.createQR("1214", order: "S240308090000NOTE06")
        #expect(await h.sandbox.payQROrder("S240308090000NOTE06"))
        await receiver.waitFor(2)

        var trades: [String] = []
        for number in ["S240308090000NOTE05", "S240308090000NOTE06"] {
            trades.append(try #require(await h.sandbox.order(number)).tradeID)
        }
        #expect(Set(receiver.requests.map { WantuWire.decodeObject($0.body)?["trade_id"]?.text }) == Set(trades))
        for request in receiver.requests {
            let fields = try #require(WantuWire.decodeObject(request.body))
            #expect(fields["out_trade_no"] == nil, "the notification names the order: \(fields)")
            let trade = try #require(fields["trade_id"]?.text)
            guard case .paymentOfTrade(trade, .paid(let confirmation)) = Self.verdict(request) else {
                Issue.record("not a verified payment of trade \(trade): \(Self.verdict(request))"); continue
            }
            #expect(confirmation.amount == Money(minorUnits: 1214, currency: .hkd))
        }
    }

    @Test func onlyAddressesOnThisMachineAreEverPosted() {
        #expect(HTTPRequest.isLoopback("http://127.0.0.1:8787/notify/wantu"))
        #expect(HTTPRequest.isLoopback("http://localhost/notify"))
        #expect(HTTPRequest.isLoopback("http://[::1]:80/notify"))
        #expect(!HTTPRequest.isLoopback("https://shop.example/notify"))
        #expect(!HTTPRequest.isLoopback("http://10.0.0.1/notify"))
        #expect(!HTTPRequest.isLoopback("http://127.0.0.1.evil.example/notify"))
    }
}
