import CheckoutCore
import Foundation
import GRDB
import Ledger
import SQLiteLedger
import Testing

@Suite("Ledger: short pay links")
struct LedgerPayLinksTests {
    static let token = "q7Vn0xZkR2mB9sLcW4tYhA"
    static let credential = "https://mapi.alipay.com/gateway.do?out_trade_no=ch_1&sign=abc"

    @Test func aLinkOpensItsCredentialOnlyWhileItsOrderIsPendingAndBeforeItExpires() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        try ledger.recordPayLink(token: Self.token, order: order.id, credential: Self.credential, expiresAt: moment(180), at: moment(0))

        #expect(try ledger.payLinkCredential(token: Self.token, at: moment(10)) == Self.credential)
        // Expired: the QR order's wait is over, whatever the order says.
        #expect(try ledger.payLinkCredential(token: Self.token, at: moment(180)) == nil)
        // Unknown: the same nil.
        #expect(try ledger.payLinkCredential(token: "AAAAAAAAAAAAAAAAAAAAAA", at: moment(10)) == nil)
        // Ended: paid, the link is refused before its expiry.
        try ledger.updateOrder(order.id, status: .paid, gatewayTradeID: "ch_1", reason: nil, at: moment(20))
        #expect(try ledger.payLinkCredential(token: Self.token, at: moment(30)) == nil)
    }

    @Test(arguments: [OrderStatus.cancelled, .expired, .declined, .unknown])
    func aLinkOfAnOrderThatIsNotPendingIsRefused(_ status: OrderStatus) throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        try ledger.recordPayLink(token: Self.token, order: order.id, credential: Self.credential, expiresAt: moment(180), at: moment(0))
        try ledger.updateOrder(order.id, status: status, gatewayTradeID: nil, reason: "ended", at: moment(20))
        #expect(try ledger.payLinkCredential(token: Self.token, at: moment(30)) == nil)
    }

    @Test func aLinkIsWrittenOnceWithAnEventThatDoesNotNameItsToken() throws {
        let ledger = try SQLiteLedger.inMemory()
        let order = try sampleOrder()
        try ledger.insert(order)
        try ledger.recordPayLink(token: Self.token, order: order.id, credential: Self.credential, expiresAt: moment(180), at: moment(0))
        // One link per order; a token names one credential.
        #expect(throws: LedgerError.self) {
            try ledger.recordPayLink(token: "another0token0of022chr", order: order.id, credential: "x", expiresAt: moment(180), at: moment(1))
        }
        #expect(throws: LedgerError.self) {
            try ledger.recordPayLink(token: "short", order: order.id, credential: "x", expiresAt: moment(180), at: moment(1))
        }
        let events = try ledger.events(for: order.id)
        #expect(events.contains { $0.kind == .payLink } && !events.contains { $0.detail.contains(Self.token) })
        #expect(throws: LedgerError.orderNotFound(try OrderID("S250615120000NOPE00"))) {
            try ledger.recordPayLink(token: "bbbbbbbbbbbbbbbbbbbbbb", order: try OrderID("S250615120000NOPE00"), credential: "x",
                                     expiresAt: moment(180), at: moment(1))
        }
    }
}
