import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import Sandbox
import Testing
import TestSupport
import WantuGateway

/// Wantu's notifications that name only the trade (`trade_id`, no `out_trade_no`, as the seed's
/// §2.6 example), from the sandbox through the real receiver on loopback into a ledger file. The
/// receiver's gateway asks the same sandbox, over HTTP, about a trade the ledger has not recorded.
@Suite struct WantuTradeNotificationTests {
    /// A Wantu sandbox and a receiver on loopback, and a ledger file; the gateway the till would
    /// use makes the orders, and the receiver's own gateway looks trades up.
    struct Setup {
        let folder: String
        let ledger: SQLiteLedger
        let sandbox: WantuSandbox
        let sandboxServer: RunningSandbox
        let receiver: RunningNotifyServer
        /// The sandbox's notifications, as posted.
        let deliveries: ObservedTransport
        /// The receiver's own questions to the sandbox.
        let lookups: ObservedTransport
        let till: WantuGateway
        let client: CurlTransport
        static let account = SandboxAccount.training

        static func start() async throws -> Setup {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("WantuTrades-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            let clock = SteppingClock()
            let deliveries = try ObservedTransport()
            let sandbox = WantuSandbox(account: account, clock: clock.checkoutClock,
                                       deliveries: SandboxDeliveries(transport: deliveries, clock: clock.checkoutClock))
            let sandboxServer = try await SandboxServer.start(sandbox, host: "127.0.0.1", port: 0)
            let lookups = try ObservedTransport()
            let receiverGateway = WantuGateway(account: Self.wantu(sandboxServer.baseURL, notifyURL: ""), transport: lookups)
            let receiver = try await NotifyServer.start(NotificationReceiver(gateways: [receiverGateway], ledger: ledger),
                                                        host: "127.0.0.1", port: 0)
            let till = WantuGateway(account: Self.wantu(sandboxServer.baseURL, notifyURL: receiver.url(for: "wantu")),
                                    transport: try CurlTransport())
            return Setup(folder: folder, ledger: ledger, sandbox: sandbox, sandboxServer: sandboxServer, receiver: receiver,
                         deliveries: deliveries, lookups: lookups, till: till, client: try CurlTransport())
        }

        static func wantu(_ baseURL: String, notifyURL: String) -> WantuAccount {
            WantuAccount(baseURL: baseURL, merchantAccount: account.merchantAccount, storeAccount: account.storeAccount,
                         key: account.key, notifyURL: notifyURL, currency: account.currency, timeZone: account.timeZone)
        }

        /// Records a pending order as the till does before its request leaves.
        func record(_ id: OrderID, _ method: PaymentMethod, trade: String? = nil) throws {
            try ledger.insert(Order(id: id, provider: "wantu", method: method, wallet: .wechat,
                                    amount: Money(minorUnits: 12_14, currency: .hkd), subject: "Training sale",
                                    gatewayTradeID: trade, createdAt: Date()))
        }

        func stop() async {
            await sandboxServer.stop()
            await receiver.stop()
            try? ledger.close()
            try? FileManager.default.removeItem(atPath: folder)
        }

        func run(_ body: (Setup) async throws -> Void) async throws {
            do {
                try await body(self)
            } catch {
                await stop()
                throw error
            }
            await stop()
        }
    }

    @Test func aQROrderWhoseTradeTheLedgerRecordedIsPaidByTheNotificationWithoutAQuestion() async throws {
        try await Setup.start().run { s in
            // ..14: the sandbox announces the payment by trade_id alone.
            let id = try OrderID("S250615120000QRTRD1")
            try s.record(id, .qr)
            let creation = await s.till.createQR(QRPayRequest(orderID: id, amount: Money(minorUnits: 12_14, currency: .hkd),
                                                              subject: "Training sale", wallet: .wechat))
            guard case .created(_, let trade?) = creation else { Issue.record("\(creation)"); return }
            try s.ledger.updateOrder(id, status: .pending, gatewayTradeID: trade, reason: "QR order created", at: Date())

            #expect(await s.sandbox.payQROrder(id.rawValue))
            await s.deliveries.waitFor(1)

            let posted = try #require(s.deliveries.requests.withLock { $0.first })
            #expect(WantuWire.decodeObject(posted.body)?["out_trade_no"] == nil, "the sandbox named the order")
            let order = try #require(try s.ledger.order(id))
            #expect(order.status == .paid)
            #expect(order.gatewayTradeID == trade)
            #expect(s.lookups.requests.withLock { $0.isEmpty }, "the receiver asked Wantu about a trade the ledger recorded")
            #expect(try #require(await s.sandbox.order(id.rawValue)).queryCalls == 0)
        }
    }

    @Test func aScannedOrderWhoseTradeTheLedgerHasNotIsPaidOnceTheSandboxNamesItForTheTrade() async throws {
        try await Setup.start().run { s in
            // ..14: USER_PAYING (no trade recorded), the customer confirms 8 s later, and the
            // sandbox announces it by trade_id alone.
            let id = try OrderID("S250615120000SCTRD1")
            try s.record(id, .scan)
            let code = try PaymentCode(scanned: "134567890123456789")
            let verdict = await s.till.pay(BarcodePayRequest(orderID: id, amount: Money(minorUnits: 12_14, currency: .hkd),
                                                             subject: "Training sale", code: code))
            #expect(verdict == .userPaying)
            await s.deliveries.waitFor(1)

            let atSandbox = try #require(await s.sandbox.order(id.rawValue))
            let order = try #require(try s.ledger.order(id))
            #expect(order.status == .paid)
            #expect(order.gatewayTradeID == atSandbox.tradeID)
            // The receiver asked once, by the trade alone, and believed the signed answer.
            let asked = s.lookups.requests.withLock { $0 }
            #expect(asked.count == 1)
            let question = try #require(asked.first.flatMap { WantuWire.decodeObject($0.body) })
            #expect(asked.first?.url.hasSuffix("/paygate/query") == true)
            #expect(question["trade_id"]?.text == atSandbox.tradeID)
            #expect(question["out_trade_no"] == nil)
            #expect(atSandbox.queryCalls == 1)
            let reply = try #require(s.deliveries.requests.withLock { $0.first })
            #expect(try s.ledger.events(for: id).last?.detail.contains(String(decoding: reply.body, as: UTF8.self)) == true,
                    "the event keeps the notification as posted")
        }
    }

    @Test func aSignedNotificationOfATradeWantuDoesNotKnowIsAcknowledgedAndChangesNothing() async throws {
        try await Setup.start().run { s in
            let id = try OrderID("S250615120000NOTRD1")
            try s.record(id, .scan)
            var fields = ["return_code": "200", "return_msg": "200", "merchant_account": Setup.account.merchantAccount,
                          "total_fee": "1214", "fee_type": "HKD", "trade_id": "100020990101000000000001",
                          "trade_status": "SUCCESS", "trade_time": "2025-06-15 12:00:03"]
            fields["sign"] = WantuSignature.sign(fields, key: Setup.account.key)
            let response = try await s.client.send(HTTPRequest(url: s.receiver.url(for: "wantu"),
                                                               headers: [(name: "Content-Type", value: "application/json")],
                                                               body: WantuWire.encodeRequest(fields)))
            #expect(response.status == 200)
            #expect(response.bodyText == #"{"return_code":"SUCCESS"}"#, "it can never apply: Wantu should stop resending")
            // Asked under both wallets before it counts as not ours.
            let channels = s.lookups.requests.withLock { $0 }.map { WantuWire.decodeObject($0.body)?["pay_channel"]?.text }
            #expect(channels == ["1", "2"])
            let order = try #require(try s.ledger.order(id))
            #expect(order.status == .pending && order.gatewayTradeID == nil && order.attention == nil)
            #expect(try s.ledger.events(for: id).map(\.kind) == [.created])
        }
    }
}
