import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger

/// A fresh folder under the system's temporary directory, removed when the body returns.
func withTemporaryFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("LedgerTests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

func withTemporaryFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("LedgerTests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try await body(folder)
}

/// A second, raw SQLite connection to a ledger file: what another program could do to it.
func rawConnection(_ path: String) throws -> DatabaseQueue {
    try DatabaseQueue(path: path)
}

/// A moment on a whole millisecond, as the ledger keeps dates.
func moment(_ seconds: Int64, millis: Int64 = 0) -> Date {
    Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
}

let base = moment(1_750_000_000, millis: 123)

func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }

/// A WeChat Pay code as scanned: 18 digits starting 13.
let scannedWeChatCode = "134567890123456789"

func sampleOrder(_ id: String = "S250615120000ABCDEF", amount: Money = hkd(12_30), status: OrderStatus = .pending,
                 createdAt: Date = base) throws -> Order {
    let code = try PaymentCode(scanned: scannedWeChatCode)
    return Order(id: try OrderID(id), provider: "wantu", method: .scan, wallet: .wechat, amount: amount,
                 subject: "Two coffees", status: status, maskedCode: code.masked, createdAt: createdAt)
}

/// An order already paid, as the till would have it after a `paid` answer.
func paidOrder(in ledger: SQLiteLedger, _ id: String = "S250615120000PAID01", amount: Money = hkd(100_00)) throws -> Order {
    let order = try sampleOrder(id, amount: amount)
    try ledger.insert(order)
    return try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "4200001234567890123456789012",
                                  reason: nil, at: base.addingTimeInterval(2))
}
