import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import NotifyServer
import Synchronization
import Testing
import TestSupport
import WantuGateway

/// The merchant key the tests sign with. It must never appear in a log line or a reply.
let merchantKey = "test-key"
let orderNumber = "S250615120000ABCDEF"
/// A Wantu trade number: 28 digits, not shaped like a payment code, so the ledger keeps it as is.
let tradeNumber = "4200001234567890123456789012"
let otherTradeNumber = "4200009876543210987654321098"
let successReply = #"{"return_code":"SUCCESS"}"#

func failReply(_ message: String) -> String { #"{"return_code":"FAIL","return_msg":"\#(message)"}"# }

/// A Wantu payment notification as Wantu posts it: a JSON object, `total_fee` a number.
struct Notice {
    var fields: [(name: String, value: String)]
    var numeric: Set<String> = ["total_fee"]

    static func paid(order: String = orderNumber, trade: String = tradeNumber, fee: String = "1230",
                     currency: String = "HKD") -> Notice {
        Notice(fields: [
            ("out_trade_no", order), ("trade_id", trade), ("total_fee", fee), ("fee_type", currency),
            ("trade_status", "SUCCESS"), ("trade_time", "2025-06-15 12:00:03"),
            ("merchant_account", "HKG0000000001"), ("store_account", "HKG0000000002"),
        ])
    }

    /// The parameters as they are signed: every field's text.
    var parameters: [String: String] {
        var result: [String: String] = [:]
        for field in fields { result[field.name] = field.value }
        return result
    }

    func setting(_ name: String, _ value: String) -> Notice {
        var copy = self
        if let index = copy.fields.firstIndex(where: { $0.name == name }) {
            copy.fields[index].value = value
        } else {
            copy.fields.append((name, value))
        }
        return copy
    }

    enum Signature {
        /// Signed with the merchant key over the fields.
        case valid
        /// No `sign` field at all.
        case none
        /// This `sign`, whatever it is.
        case given(String)
    }

    func body(_ signature: Signature = .valid) -> [UInt8] {
        var members = fields.map { field -> String in
            precondition(!field.value.contains("\"") && !field.value.contains("\\"))
            return numeric.contains(field.name) ? "\"\(field.name)\":\(field.value)" : "\"\(field.name)\":\"\(field.value)\""
        }
        switch signature {
        case .valid: members.append("\"sign\":\"\(WantuSignature.sign(parameters, key: merchantKey))\"")
        case .none: break
        case .given(let sign): members.append("\"sign\":\"\(sign)\"")
        }
        return Array(("{" + members.joined(separator: ",") + "}").utf8)
    }
}

/// One receiver as production runs it: a real SQLite ledger file in a fresh temporary folder,
/// the Wantu gateway, the Hummingbird server on 127.0.0.1 (a port the system picks), and curl
/// as the client. One pending order of HKD 12.30 made with Wantu is in the ledger.
final class ReceiverFixture: Sendable {
    let folder: String
    let ledgerPath: String
    let ledger: SQLiteLedger
    let server: RunningNotifyServer
    let client: CurlTransport
    let orderID: OrderID
    /// What the receiver logs (one line per notification), and what the server and gateway log.
    let receiverLogs: CapturedLogs
    let serverLogs: CapturedLogs
    /// Every reply body the tests read, to check none carries the key.
    let replies = Mutex<[String]>([])

    private init(folder: String, ledgerPath: String, ledger: SQLiteLedger, server: RunningNotifyServer, client: CurlTransport,
                 orderID: OrderID, receiverLogs: CapturedLogs, serverLogs: CapturedLogs) {
        self.folder = folder
        self.ledgerPath = ledgerPath
        self.ledger = ledger
        self.server = server
        self.client = client
        self.orderID = orderID
        self.receiverLogs = receiverLogs
        self.serverLogs = serverLogs
    }

    /// `wallClock` is the receiver's (pay links' expiry is read by it).
    static func start(limits: NotifyServer.Limits = NotifyServer.Limits(), metrics: Bool = false,
                      wallClock: @escaping @Sendable () -> Date = Date.init) async throws -> ReceiverFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("NotifyServerTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ledgerPath = folder + "/ledger.sqlite"
        let ledger = try SQLiteLedger(path: ledgerPath)
        let receiverLogs = CapturedLogs()
        let serverLogs = CapturedLogs()
        let account = WantuAccount(
            baseURL: "https://sandbox-merchants.wantu.cn/paygate", merchantAccount: "HKG0000000001",
            storeAccount: "HKG0000000002", key: merchantKey, notifyURL: "https://shop.example/notify/wantu",
            currency: .hkd, timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
        // The gateway's transport is never called: verifying a notification needs only the key.
        let gateway = WantuGateway(account: account, transport: try CurlTransport(), logger: serverLogs.logger("test.wantu"))
        let receiver = NotificationReceiver(gateways: [gateway], ledger: ledger, wallClock: wallClock, logger: receiverLogs.logger("test.notify"))
        let server = try await NotifyServer.start(receiver, host: "127.0.0.1", port: 0, limits: limits,
                                                  metrics: metrics ? ("127.0.0.1", 0) : nil,
                                                  logger: serverLogs.logger("test.notify.http"))
        let orderID = try OrderID(orderNumber)
        try ledger.insert(Order(id: orderID, provider: "wantu", method: .scan, wallet: .wechat,
                                amount: Money(minorUnits: 1230, currency: .hkd), subject: "Two coffees",
                                maskedCode: "1345**********6789", createdAt: Date()))
        return ReceiverFixture(folder: folder, ledgerPath: ledgerPath, ledger: ledger, server: server,
                               client: try CurlTransport(), orderID: orderID, receiverLogs: receiverLogs, serverLogs: serverLogs)
    }

    var port: Int { server.port }

    /// POSTs `body` through curl, on the connection it keeps open as a gateway's client does;
    /// the reply body is kept for the key check.
    func post(_ body: [UInt8], path: String = "/notify/wantu") async throws -> HTTPResponse {
        try await send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)",
                                   headers: [(name: "Content-Type", value: "application/json")],
                                   body: body, timeout: .seconds(30), effect: .idempotent))
    }

    func get(_ path: String) async throws -> HTTPResponse {
        try await send(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)", method: "GET", timeout: .seconds(30), effect: .idempotent))
    }

    private func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await client.send(request)
        record(response.bodyText)
        return response
    }

    func record(_ reply: String) { replies.withLock { $0.append(reply) } }

    func order() throws -> Order { try #require(try ledger.order(orderID)) }
    func events() throws -> [LedgerEvent] { try ledger.events(for: orderID) }

    /// The order exactly as inserted: pending, no trade, nothing to look at, one `created` event.
    func expectUntouched(_ what: Comment, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let order = try order()
        #expect(order.status == .pending, what, sourceLocation: sourceLocation)
        #expect(order.gatewayTradeID == nil, what, sourceLocation: sourceLocation)
        #expect(order.attention == nil, what, sourceLocation: sourceLocation)
        let events = try events()
        #expect(events.map(\.kind) == [.created], what, sourceLocation: sourceLocation)
    }

    /// Stops the server, checks no log line, reply or ledger event carries the key, and removes the folder.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async {
        await server.stop()
        let logs = receiverLogs.text + "\n" + serverLogs.text
        #expect(!logs.contains(merchantKey), "a log line carries the merchant key", sourceLocation: sourceLocation)
        for reply in replies.withLock({ $0 }) {
            #expect(!reply.contains(merchantKey), "a reply carries the merchant key: \(reply)", sourceLocation: sourceLocation)
        }
        if let events = try? ledger.events(for: orderID) {
            #expect(!events.contains { $0.detail.contains(merchantKey) }, "the ledger keeps the key", sourceLocation: sourceLocation)
        }
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// The JSON object in a reply body, for replies whose message is not pinned word for word.
func replyObject(_ response: HTTPResponse) -> [String: String]? {
    (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: String]
}

/// Runs `body` with a started receiver, and always stops it and checks the key stayed secret.
func withReceiver(limits: NotifyServer.Limits = NotifyServer.Limits(), metrics: Bool = false,
                  wallClock: @escaping @Sendable () -> Date = Date.init,
                  sourceLocation: SourceLocation = #_sourceLocation, _ body: (ReceiverFixture) async throws -> Void) async throws {
    let fixture = try await ReceiverFixture.start(limits: limits, metrics: metrics, wallClock: wallClock)
    do {
        try await body(fixture)
    } catch {
        await fixture.finish(sourceLocation: sourceLocation)
        throw error
    }
    await fixture.finish(sourceLocation: sourceLocation)
}
