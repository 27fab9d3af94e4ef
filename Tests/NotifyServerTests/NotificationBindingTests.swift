import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import NotifyServer
import Synchronization
import Testing
import TestSupport

/// The receiver's binding rules, with a gateway whose notifications and trade lookups the test
/// scripts, applied to a real SQLite ledger file: a notification changes an order only when it
/// binds to that order, and what can never apply is acknowledged without changing anything.
@Suite("Notification receiver: a notification binds to our order")
struct NotificationBindingTests {
    static let trade = "ch_ours"
    static let foreignTrade = "ch_someone_elses"

    @Test func aPaidNotificationForTheRecordedTradePaysTheOrderWithoutAskingTheGateway() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: Self.trade)
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        #expect(outcome == .applied(.applied(.paid)))
        #expect(reply.status == 200)
        #expect(try f.order().status == .paid)
        #expect(f.gateway.lookups == [])
    }

    @Test func aPaidNotificationForAnotherTradeThanTheRecordedOneIsAcknowledgedAndChangesNothing() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: Self.trade)
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.foreignTrade)))
        guard case .ignored(let why) = outcome else { Issue.record("\(outcome)"); return }
        #expect(why.contains(Self.foreignTrade) && why.contains(Self.trade))
        #expect(reply.status == 200, "acknowledged: it can never apply, so the gateway should stop resending")
        let order = try f.order()
        #expect(order.status == .pending)
        #expect(order.gatewayTradeID == Self.trade)
        #expect(order.attention == nil)
        #expect(try f.ledger.events(for: f.orderID).map(\.kind) == [.created])
        #expect(f.gateway.lookups == [])
    }

    @Test func anotherTradeForAPaidOrderIsNotASecondPaymentOfOurs() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: Self.trade)
        _ = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        let (_, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.foreignTrade)))
        guard case .ignored = outcome else { Issue.record("\(outcome)"); return }
        let order = try f.order()
        #expect(order.status == .paid)
        #expect(order.attention == nil, "another merchant's charge must not flag ours as paid twice")
    }

    @Test func withNoTradeRecordedAPaidNotificationIsBelievedOnlyOnceTheGatewayConfirmsIt() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        f.gateway.answer(Self.trade, .found(orderID: f.orderID, f.paid(Self.trade)))
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        #expect(outcome == .applied(.applied(.paid)))
        #expect(reply.status == 200)
        #expect(f.gateway.lookups == [Self.trade])
        let order = try f.order()
        #expect(order.status == .paid)
        #expect(order.gatewayTradeID == Self.trade, "the confirmed trade is recorded")
    }

    @Test func withNoTradeRecordedATradeTheGatewayGivesToAnotherOrderIsIgnored() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        f.gateway.answer(Self.foreignTrade, .found(orderID: try OrderID("S250615120000FFFFFF"), f.paid(Self.foreignTrade)))
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.foreignTrade)))
        guard case .ignored = outcome else { Issue.record("\(outcome)"); return }
        #expect(reply.status == 200)
        try f.expectUntouched()
    }

    @Test func withNoTradeRecordedATradeTheGatewayDoesNotKnowIsIgnored() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        f.gateway.answer(Self.foreignTrade, .notFound)
        let (_, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.foreignTrade)))
        guard case .ignored = outcome else { Issue.record("\(outcome)"); return }
        try f.expectUntouched()
    }

    @Test func aConfirmationThatNamesAnotherTradeIsNotBelieved() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        f.gateway.answer(Self.trade, .found(orderID: f.orderID, f.paid(Self.foreignTrade)))
        let (_, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        guard case .ignored = outcome else { Issue.record("\(outcome)"); return }
        try f.expectUntouched()
    }

    @Test func whenTheGatewayCannotConfirmNowTheNotificationIsAskedForAgainAndAppliesLater() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        f.gateway.answer(Self.trade, .inDoubt("timed out"))
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        guard case .failed = outcome else { Issue.record("\(outcome)"); return }
        #expect(reply.status == 503, "not acknowledged: the gateway sends it again")
        try f.expectUntouched()

        f.gateway.answer(Self.trade, .found(orderID: f.orderID, f.paid(Self.trade)))
        let (_, again) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        #expect(again == .applied(.applied(.paid)))
        #expect(try f.order().status == .paid)
    }

    @Test func aDeclineThatCannotNameItsTradeIsOnlyNoted() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: Self.trade)
        let decline = PaymentVerdict.declined(Decline(.paymentFailed, gatewayMessage: "FAILED"))
        let (reply, outcome) = try await f.post(.payment(orderID: f.orderID, decline))
        #expect(outcome == .applied(.noted))
        #expect(reply.status == 200)
        #expect(try f.order().status == .pending, "the till's own query decides; the customer may still pay")
    }

    @Test func byOrderNumberAGatewaySigningWithOurOwnKeyIsBelievedAsBefore() async throws {
        let f = try BindingFixture(binding: .orderNumber, recordedTrade: nil)
        let (_, outcome) = try await f.post(.payment(orderID: f.orderID, f.paid(Self.trade)))
        #expect(outcome == .applied(.applied(.paid)))
        #expect(f.gateway.lookups == [])
        #expect(try f.order().gatewayTradeID == Self.trade)
    }

    @Test func aNotificationNamingOnlyATradeAppliesToTheOrderRecordedWithIt() async throws {
        let f = try BindingFixture(binding: .orderNumber, recordedTrade: Self.trade)
        let (reply, outcome) = try await f.post(.paymentOfTrade(gatewayTradeID: Self.trade, f.paid(Self.trade)))
        #expect(outcome == .applied(.applied(.paid)))
        #expect(reply.status == 200)
        #expect(try f.order().status == .paid)
        #expect(f.gateway.lookups == [])
    }

    @Test func aNotificationNamingOnlyAnUnrecordedTradeIsAppliedToTheOrderTheGatewayNames() async throws {
        let f = try BindingFixture(binding: .orderNumber, recordedTrade: nil)
        f.gateway.answer(Self.trade, .found(orderID: f.orderID, f.paid(Self.trade)))
        let (_, outcome) = try await f.post(.paymentOfTrade(gatewayTradeID: Self.trade, f.paid(Self.trade)))
        #expect(outcome == .applied(.applied(.paid)))
        #expect(f.gateway.lookups == [Self.trade])
        let order = try f.order()
        #expect(order.status == .paid)
        #expect(order.gatewayTradeID == Self.trade)
    }

    @Test func aNotificationNamingOnlyATradeTheGatewayCannotConfirmNowIsAskedForAgain() async throws {
        let f = try BindingFixture(binding: .orderNumber, recordedTrade: nil)
        f.gateway.answer(Self.trade, .inDoubt("HTTP 502"))
        let (reply, outcome) = try await f.post(.paymentOfTrade(gatewayTradeID: Self.trade, f.paid(Self.trade)))
        guard case .failed = outcome else { Issue.record("\(outcome)"); return }
        #expect(reply.status == 503)
        try f.expectUntouched()
    }

    @Test func aSignedNotificationThatCanNeverApplyIsAcknowledged() async throws {
        let f = try BindingFixture(binding: .recordedTrade, recordedTrade: nil)
        let (reply, outcome) = try await f.post(.ignored("a test-mode event for a live account"))
        #expect(outcome == .ignored("a test-mode event for a live account"))
        #expect(reply.status == 200)
        try f.expectUntouched()
        #expect(f.receiverLogs.text.contains("a test-mode event for a live account"), "the reason is logged")
    }
}

/// A real SQLite ledger file with one pending QR order of CNY 12.30 made with `BindingGateway`.
final class BindingFixture: Sendable {
    let folder: String
    let ledger: SQLiteLedger
    let gateway: BindingGateway
    let receiver: NotificationReceiver
    let orderID: OrderID
    let receiverLogs = CapturedLogs()

    init(binding: NotificationBinding, recordedTrade: String?) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("NotificationBindingTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        ledger = try SQLiteLedger(path: folder + "/ledger.sqlite")
        gateway = BindingGateway(notificationBinding: binding)
        receiver = NotificationReceiver(gateways: [gateway], ledger: ledger, logger: receiverLogs.logger("test.notify"))
        orderID = try OrderID("S250615120000ABCDEF")
        try ledger.insert(Order(id: orderID, provider: gateway.name, method: .qr, wallet: .alipay,
                                amount: Money(minorUnits: 1230, currency: .cny), subject: "Two coffees",
                                gatewayTradeID: recordedTrade, createdAt: Date()))
    }

    deinit {
        try? ledger.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    func paid(_ trade: String) -> PaymentVerdict {
        .paid(PaymentConfirmation(gatewayTradeID: trade, amount: Money(minorUnits: 1230, currency: .cny)))
    }

    /// Posts a notification that the gateway reads as `verdict`.
    func post(_ verdict: NotificationVerdict) async throws -> (NotificationReply, NotificationReceiver.Outcome) {
        gateway.next(verdict)
        return try #require(await receiver.receive(IncomingNotification(body: Array("{}".utf8)), provider: gateway.name))
    }

    func order() throws -> Order { try #require(try ledger.order(orderID)) }

    /// Nothing happened to the order: still pending, not flagged, only its `created` event.
    func expectUntouched(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let order = try order()
        #expect(order.status == .pending, sourceLocation: sourceLocation)
        #expect(order.attention == nil, sourceLocation: sourceLocation)
        #expect(try ledger.events(for: orderID).map(\.kind) == [.created], sourceLocation: sourceLocation)
    }
}

/// A gateway whose next notification reads as the verdict the test gives, and whose trade
/// lookups answer from a table the test fills, recording every trade asked about.
final class BindingGateway: PaymentGateway {
    let name = "binding"
    let capabilities: GatewayCapabilities = [.qrPay, .notifications]
    let notificationBinding: NotificationBinding
    private let state = Mutex<(next: NotificationVerdict?, answers: [String: TradeLookup], asked: [String])>((nil, [:], []))

    init(notificationBinding: NotificationBinding) { self.notificationBinding = notificationBinding }

    func next(_ verdict: NotificationVerdict) { state.withLock { $0.next = verdict } }
    func answer(_ trade: String, _ lookup: TradeLookup) { state.withLock { $0.answers[trade] = lookup } }
    var lookups: [String] { state.withLock { $0.asked } }

    func verifyNotification(_ notification: IncomingNotification) -> NotificationVerdict {
        state.withLock { $0.next } ?? .malformed("nothing scripted")
    }

    func lookUp(trade gatewayTradeID: String) async -> TradeLookup {
        state.withLock { state in
            state.asked.append(gatewayTradeID)
            return state.answers[gatewayTradeID] ?? .inDoubt("nothing scripted")
        }
    }
}
