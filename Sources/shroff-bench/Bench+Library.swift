import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import SQLiteLedger
import QRCode
import WantuGateway

extension Bench {
    /// A WeChat QR payload of the usual length (about 60 characters).
    static let qrPayload = "weixin://wxpay/bizpayurl?pr=Xk3fQ9aLmN2pR7sTuV8wYz4bC6dE1gHj"

    /// Encoding plus drawing, as the till does each time it shows a QR order.
    static func qrDrawing() throws -> Samples {
        var drawn = 0
        let samples = try microbenchmark(runs: 2000, warmUp: 200) {
            drawn &+= try QRMatrix.encode(qrPayload).halfBlockRows(margin: 2).count
        }
        guard drawn > 0 else { throw BenchFailure("the QR code came out empty") }
        return samples
    }

    /// The parameters of a pospay as `WantuGateway` signs them (common and business ones).
    static let pospayParameters: [String: String] = [
        "merchant_account": "HKG0000000001", "store_account": "HKG0000000002", "pay_channel": "1",
        "send_time": "2025-01-15 12:30:45", "version": "1.0", "total_fee": "1250", "fee_type": "HKD",
        "subject": "Milk tea and pineapple bun", "out_trade_no": "S250115123045K7M2QX",
        "auth_code": "134567890123456789", "notify_url": "http://127.0.0.1/notify", "device_sn": "TILL-01",
    ]

    static func signing() -> Samples {
        var signatures = 0
        let samples = microbenchmark(runs: 20_000, warmUp: 2000) {
            signatures &+= WantuSignature.sign(pospayParameters, key: "shroff-training-key").utf8.count
        }
        precondition(signatures > 0)
        return samples
    }

    /// What the ledger does for a scanned payment that succeeds at once: the order written down
    /// before its request, then marked paid. On a real file in `folder`, with SQLite's own syncing.
    /// Returns one sample per order (µs) and the time for all `orders` in a row (ms).
    static func ledgerWrites(in folder: URL, orders: Int) throws -> (perOrder: Samples, inARow: Duration) {
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("bench-ledger.sqlite").path)
        defer { try? ledger.close() }
        var generator = SystemRandomNumberGenerator()
        var sequence = 0
        func oneOrder() throws {
            sequence += 1
            let id = OrderID.generate(localTimestamp: String(250115000000 + sequence), using: &generator)
            let now = Date()
            let order = Order(id: id, provider: "wantu", method: .scan, wallet: .wechat,
                              amount: Money(minorUnits: 1250, currency: .hkd), subject: "Milk tea",
                              maskedCode: "1345**********6789", createdAt: now)
            try ledger.insert(order)
            let paid = try ledger.updateOrder(id, status: .paid, gatewayTradeID: "1000\(sequence)", reason: nil, at: now)
            guard paid.status == .paid else { throw BenchFailure("the ledger did not keep the order paid") }
        }
        for _ in 0..<50 { try oneOrder() }
        let clock = ContinuousClock()
        let start = clock.now
        let perOrder = try microbenchmark(runs: orders, warmUp: 0, oneOrder)
        return (perOrder, clock.now - start)
    }
}

extension Bench {
    /// A paid Wantu notification as the receiver gets it, and a gateway that verifies it.
    static func notificationSample() throws -> (WantuGateway, IncomingNotification) {
        var fields = ["return_code": "200", "return_msg": "SUCCESS", "merchant_account": "HKG0000000001",
                      "total_fee": "1250", "fee_type": "HKD", "subject": "Milk tea", "out_trade_no": "S250115123045K7M2QX",
                      "trade_id": "100020250115123045000123", "trade_status": "SUCCESS", "trade_time": "2025-01-15 12:30:50"]
        fields["sign"] = WantuSignature.sign(fields, key: "shroff-training-key")
        let gateway = WantuGateway(account: WantuAccount(
            baseURL: "http://127.0.0.1:1/paygate", merchantAccount: "HKG0000000001", storeAccount: "HKG0000000002",
            key: "shroff-training-key", notifyURL: "http://127.0.0.1/notify", currency: .hkd,
            timeZone: TimeZone(identifier: "Asia/Hong_Kong")!), transport: NoTransport())
        return (gateway, IncomingNotification(headers: [("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(fields))))
    }

    /// Reading and verifying one notification: the JSON, the duplicate-key scan, the signature.
    static func notificationVerifying() throws -> Samples {
        let (gateway, notification) = try notificationSample()
        var believed = 0
        let samples = microbenchmark(runs: 20_000, warmUp: 2000) {
            if case .payment(_, .paid) = gateway.verifyNotification(notification) { believed += 1 }
        }
        guard believed == 22_000 else { throw BenchFailure("a well-signed notification was not believed") }
        return samples
    }

    /// Applying one verified notification to a file ledger: one transaction, synced.
    static func notificationApplying(in folder: URL, runs: Int) throws -> Samples {
        let ledger = try SQLiteLedger(path: folder.appendingPathComponent("apply-ledger.sqlite").path)
        defer { try? ledger.close() }
        var generator = SystemRandomNumberGenerator()
        var ids: [OrderID] = []
        for index in 0..<(runs + 50) {
            let id = OrderID.generate(localTimestamp: String(250115000000 + index), using: &generator)
            try ledger.insert(Order(id: id, provider: "wantu", method: .qr, wallet: .wechat,
                                    amount: Money(minorUnits: 1250, currency: .hkd), subject: "Milk tea", createdAt: Date()))
            ids.append(id)
        }
        var next = 0
        func applyOne() throws {
            let id = ids[next]
            next += 1
            let outcome = try ledger.applyNotification(LedgerNotification(
                orderID: id, provider: "wantu", verdict: .paid(PaymentConfirmation(gatewayTradeID: "T\(next)", amount: Money(minorUnits: 1250, currency: .hkd))),
                body: #"{"out_trade_no":"\#(id)","trade_status":"SUCCESS"}"#, at: Date()))
            guard outcome == .applied(.paid) else { throw BenchFailure("a notification was not applied: \(outcome)") }
        }
        for _ in 0..<50 { try applyOne() }
        return try microbenchmark(runs: runs, warmUp: 0, applyOne)
    }
}

/// For a gateway that is only asked to verify: it never sends.
struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        throw .couldNotConnect("the bench's verifier sends nothing")
    }
}
