import CheckoutCore
import Foundation
import GRDB
@testable import Ledger
@testable import SQLiteLedger
import Testing

/// The money received for each order (CloudPay's `realprice`), in a ledger file: what the
/// owner sees in `shroff orders` and the day's totals.
@Suite("Ledger: the money received")
struct LedgerReceivedTests {
    static func cny(_ fen: Int64) -> Money { Money(minorUnits: fen, currency: .cny) }

    /// A pending CloudPay QR order of CNY 12.30 in a fresh ledger file.
    private func withCloudPayOrder(status: OrderStatus = .pending, _ body: (SQLiteLedger, Order) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
            defer { try? ledger.close() }
            let order = Order(id: try OrderID("S251122101010ABCDEF"), provider: "cloudpay", method: .qr, wallet: .alipay,
                              amount: Self.cny(1230), subject: "Tea", createdAt: base)
            try ledger.insert(order)
            if status != .pending { try ledger.updateOrder(order.id, status: status, gatewayTradeID: nil, reason: "the till gave up", at: base) }
            try body(ledger, try #require(try ledger.order(order.id)))
        }
    }

    private func notification(_ order: Order, _ verdict: PaymentVerdict, at seconds: TimeInterval = 30) -> LedgerNotification {
        LedgerNotification(orderID: order.id, provider: "cloudpay", verdict: verdict, body: "order_id=5001&realprice=…", at: base.addingTimeInterval(seconds))
    }

    @Test func aNotifiedPaymentRecordsWhatCameInAndAResendChangesNothing() throws {
        try withCloudPayOrder { ledger, order in
            let paid = PaymentVerdict.paid(PaymentConfirmation(gatewayTradeID: "5001", amount: Self.cny(1230), received: Self.cny(1229)))
            #expect(try ledger.applyNotification(notification(order, paid)) == .applied(.paid))
            let stored = try #require(try ledger.order(order.id))
            #expect(stored.status == .paid)
            #expect(stored.received == Self.cny(1229))
            #expect(stored.attention == nil)
            let events = try ledger.events(for: order.id)
            #expect(events.last?.detail.contains("paid by notification, gateway trade 5001, CNY 12.29 received") == true, "\(events)")

            #expect(try ledger.applyNotification(notification(order, paid, at: 60)) == .duplicate)
            #expect(try ledger.order(order.id) == stored)
            #expect(try ledger.events(for: order.id) == events)
        }
    }

    @Test func aPaymentTheTillLearnsFromItsAnswerReceivedItsAmount() throws {
        try withCloudPayOrder { ledger, order in
            let paid = try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "5001", reason: nil, at: base)
            #expect(paid.received == Self.cny(1230))
            #expect(order.received == nil, "a pending order has received nothing")
        }
    }

    @Test func anOverpaymentIsPaidAndFlaggedWithTheGatewaysWords() throws {
        try withCloudPayOrder { ledger, order in
            let over = PaymentVerdict.paid(PaymentConfirmation(gatewayTradeID: "5001", amount: Self.cny(1230), received: Self.cny(1530),
                                                               attention: "overpaid: give CNY 3.00 back"))
            #expect(try ledger.applyNotification(notification(order, over)) == .applied(.paid))
            let stored = try #require(try ledger.order(order.id))
            #expect(stored.status == .paid)
            #expect(stored.received == Self.cny(1530))
            #expect(stored.attention == "overpaid: give CNY 3.00 back")
        }
    }

    @Test func anUnderpaymentIsNotPaidButRecordedFlaggedAndIdempotent() throws {
        try withCloudPayOrder { ledger, order in
            let short = PaymentVerdict.underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: Self.cny(1230), received: Self.cny(850)))
            #expect(try ledger.applyNotification(notification(order, short)) == .underpaid)
            let stored = try #require(try ledger.order(order.id))
            #expect(stored.status == .declined)
            #expect(stored.received == Self.cny(850))
            #expect(stored.gatewayTradeID == "5001")
            #expect(stored.statusReason == "UNDERPAID: CNY 8.50 of CNY 12.30 received; not paid")
            let flag = try #require(stored.attention)
            #expect(flag.hasPrefix("underpaid: CNY 8.50 of CNY 12.30 received (trade 5001), so the order is not paid"), "\(flag)")
            let events = try ledger.events(for: order.id)

            #expect(try ledger.applyNotification(notification(order, short, at: 60)) == .duplicate)
            #expect(try ledger.order(order.id) == stored)
            #expect(try ledger.events(for: order.id) == events)
        }
    }

    @Test func anUnderpaymentAfterTheTillGaveUpIsFlaggedAddedOnceAndTheStatusKept() throws {
        try withCloudPayOrder(status: .expired) { ledger, order in
            let short = PaymentVerdict.underpaid(PaymentConfirmation(gatewayTradeID: "5002", amount: Self.cny(1230), received: Self.cny(850)))
            #expect(try ledger.applyNotification(notification(order, short)) == .paidAfterClose)
            let stored = try #require(try ledger.order(order.id))
            #expect(stored.status == .expired)
            #expect(stored.received == Self.cny(850))
            #expect(stored.attention?.contains("after close (the till had it expired): underpaid: CNY 8.50 of CNY 12.30 received (trade 5002)") == true,
                    "\(String(describing: stored.attention))")
            #expect(try ledger.applyNotification(notification(order, short, at: 60)) == .duplicate)
            #expect(try ledger.order(order.id) == stored)
        }
    }

    @Test func aLatePaymentAfterAnUnderpaymentAddsToWhatCameIn() throws {
        try withCloudPayOrder { ledger, order in
            let short = PaymentVerdict.underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: Self.cny(1230), received: Self.cny(850)))
            _ = try ledger.applyNotification(notification(order, short))
            let full = PaymentVerdict.paid(PaymentConfirmation(gatewayTradeID: "5002", amount: Self.cny(1230)))
            #expect(try ledger.applyNotification(notification(order, full, at: 60)) == .paidAfterClose)
            #expect(try ledger.order(order.id)?.received == Self.cny(2080))
            #expect(try ledger.applyNotification(notification(order, full, at: 90)) == .duplicate)
            #expect(try ledger.order(order.id)?.received == Self.cny(2080))
        }
    }

    @Test func anUnderpaymentOfAnotherPriceIsRefusedAndChangesNothing() throws {
        try withCloudPayOrder { ledger, order in
            let other = PaymentVerdict.underpaid(PaymentConfirmation(gatewayTradeID: "5001", amount: Self.cny(1200), received: Self.cny(850)))
            let refusal = #expect(throws: LedgerError.self) { try ledger.applyNotification(notification(order, other)) }
            #expect(refusal?.description.contains("CNY 12.00") == true, "\(String(describing: refusal))")
            let stored = try ledger.order(order.id)
            #expect(stored == order)
        }
    }

    /// A ledger file as the till wrote it before the money received was kept: migrated up to
    /// v4 only, with a paid and a declined order and a closed day written in that schema.
    @Test func rowsWrittenBeforeTheMigrationReadAsReceivedTheirAmount() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let old = try DatabaseQueue(path: path)
            let identifiers = SQLiteLedger.migrator.migrations
            let v4 = try #require(identifiers.first { $0.hasPrefix("v4:") })
            try SQLiteLedger.migrator.migrate(old, upTo: v4)
            try old.write { db in
                for (id, status) in [("S251122101010PAID22", "paid"), ("S251122101010DECL22", "declined")] {
                    try db.execute(sql: """
                        INSERT INTO orders (id, provider, method, wallet, amount, currency, subject, status, created_at, updated_at)
                        VALUES (?, 'cloudpay', 'qr', 'alipay', 1230, 'CNY', 'Tea', ?, ?, ?)
                        """, arguments: [id, status, base.ledgerMillis, base.ledgerMillis])
                }
                try db.execute(sql: """
                    INSERT INTO day_closures (day, time_zone, starts_at, ends_at, closed_at, currency, order_count, paid_count,
                        declined_count, cancelled_count, expired_count, refund_count, paid, refunded)
                    VALUES ('2025-06-14', 'Asia/Shanghai', 1, 2, 3, 'CNY', 1, 1, 0, 0, 0, 0, 4560, 0)
                    """)
                try db.execute(sql: "INSERT INTO day_closure_wallets (day, wallet, paid_count, paid, refunded) VALUES ('2025-06-14', 'alipay', 1, 4560, 0)")
            }
            try old.close()

            let ledger = try SQLiteLedger(path: path)
            defer { try? ledger.close() }
            #expect(try ledger.order(OrderID("S251122101010PAID22"))?.received == Self.cny(1230))
            #expect(try ledger.order(OrderID("S251122101010DECL22"))?.received == nil)
            let closure = try #require(try ledger.dayClosure(day: "2025-06-14"))
            #expect(closure.received == Self.cny(4560))
            #expect(closure.wallets.first?.received == Self.cny(4560))
            let applied = try rawConnection(path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(applied.contains("v5: money received, per order and per closed day"), "\(applied)")
        }
    }
}
