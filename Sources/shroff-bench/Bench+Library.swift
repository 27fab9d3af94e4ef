import CheckoutCore
import Foundation
import Ledger
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
        let ledger = try Ledger(path: folder.appendingPathComponent("bench-ledger.sqlite").path)
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
