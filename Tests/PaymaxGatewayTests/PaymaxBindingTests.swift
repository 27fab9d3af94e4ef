import CheckoutCore
import Foundation
import HTTPTransport
@testable import PaymaxGateway
import Signing
import Testing
import TestSupport

/// What binds a Paymax webhook to our charge, against recorded, signed fixtures: the charge id a
/// CHARGE webhook names, the account's mode, and our own question about a charge the ledger has
/// not recorded (`GET /v1/charges/{id}`).
@Suite struct PaymaxBindingTests {
    let order = try! OrderID(Recorded.order)
    static let foreign = "ch_5d0eca3b8f707ed425122e56"

    @Test func paymaxBindsWebhooksToTheRecordedCharge() {
        #expect(Recorded.gateway(ScriptedTransport([])).notificationBinding == .recordedTrade)
    }

    // MARK: Webhooks

    @Test func anotherMerchantsChargeUnderOurOrderNumberIsNamedByItsOwnChargeID() {
        // Signed with Paymax's key like ours: only its `data.id` tells it apart, so that is what
        // the verdict carries for the ledger to compare with the recorded charge.
        let verdict = Recorded.gateway(ScriptedTransport([])).verifyNotification(Recorded.webhook("webhook-charge-foreign"))
        #expect(verdict == .payment(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: Self.foreign, amount: Recorded.amount,
                                                                               paidAt: "1764590399000"))))
    }

    @Test func aChargeOfTheOtherModeIsIgnoredWithTheReason() {
        let verdict = Recorded.gateway(ScriptedTransport([])).verifyNotification(Recorded.webhook("webhook-charge-live"))
        guard case .ignored(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("live charge") && why.contains("livemode = false") && why.contains(Recorded.charge), "\(why)")
    }

    @Test func aChargeWhoseOrderNumberCannotBeOursIsIgnoredNotRefused() {
        // The seed's own example: its order_no is a charge id. Signed, so resending cannot change it.
        let verdict = Recorded.gateway(ScriptedTransport([])).verifyNotification(Recorded.webhook("webhook-charge-seed-order"))
        guard case .ignored(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("ch_828d6ef97f3c45a3acd41a59"))
    }

    @Test func aRefundWebhookCarriesEveryNameOfItsRefund() {
        let gateway = Recorded.gateway(ScriptedTransport([]))
        let backOffice = gateway.verifyNotification(Recorded.webhook("webhook-refund-backoffice"))
        #expect(backOffice == .refund(orderID: order, RefundNotice(gatewayRefundID: "re_0b0ff1ce0000000000000001", gatewayTradeID: Recorded.charge,
                                                                   amount: Money(minorUnits: 100, currency: .cny)),
                                      .refunded(gatewayRefundID: "re_0b0ff1ce0000000000000001")))
        let failed = gateway.verifyNotification(Recorded.webhook("webhook-refund-failed-unnamed"))
        guard case .refund(_, let notice, .declined(let why)) = failed else { Issue.record("\(failed)"); return }
        #expect(notice.refundID == nil && notice.gatewayRefundID == "re_0b0ff1ce0000000000000002" && why.contains("channel refused"))
        let otherCharge = gateway.verifyNotification(Recorded.webhook("webhook-refund-other-charge"))
        guard case .refund(_, let named, _) = otherCharge else { Issue.record("\(otherCharge)"); return }
        #expect(named.gatewayTradeID == Self.foreign && named.refundID == RefundID(rawValue: "\(Recorded.order)R1"))
    }

    @Test func aRefundWebhookWithoutItsChargeIsMalformed() throws {
        let paymax = try RSAPrivateKey(pem: Recorded.text("paymax-private.pem"))
        let body = Array(#"{"data":{"id":"re_1","order_no":"S261122101010ABCDEF","amount":1,"status":"SUCCEED"},"notifyNo":"evt_1","type":"REFUND"}"#.utf8)
        let verdict = Recorded.gateway(ScriptedTransport([])).verifyNotification(IncomingNotification(headers: [("sign", try paymax.signSHA1Base64(body))], body: body))
        guard case .malformed = verdict else { Issue.record("\(verdict)"); return }
    }

    // MARK: Asking Paymax about a charge

    @Test func aChargeAskedAboutWithOurOwnSignedRequestIsFoundForTheOrderItNames() async throws {
        let transport = ScriptedTransport(recorded: "charge-succeeded")
        let lookup = await Recorded.gateway(transport).lookUp(trade: Recorded.charge)
        #expect(lookup == .found(orderID: order, .paid(PaymentConfirmation(gatewayTradeID: Recorded.charge, amount: Recorded.amount,
                                                                            paidAt: "1764590399000"))))
        let request = try #require(transport.sent.first)
        #expect(request.method == "GET" && request.url == "https://www.paymax.cc/merchant-api/v1/charges/\(Recorded.charge)" && request.body.isEmpty)
        #expect(request.header("Authorization") == Recorded.secret)
        let nonce = try #require(request.header("nonce")), timestamp = try #require(request.header("timestamp"))
        let text = Array("get\n/v1/charges/\(Recorded.charge)\n\n\(nonce)\n\(timestamp)\n\(Recorded.secret)\n".utf8)
        #expect(try Recorded.merchantKey.publicKey().verifySHA1(base64Signature: request.header("sign") ?? "", message: text))
    }

    @Test(arguments: ["charge-not-found", "charge-succeeded-live", "charge-succeeded-other-app"])
    func aChargeThatIsNotThisAccountsIsNotFound(fixture: String) async {
        let logs = CapturedLogs()
        let gateway = PaymaxGateway(account: Recorded.account(), transport: ScriptedTransport(recorded: fixture), now: { Recorded.now },
                                    logger: logs.logger())
        #expect(await gateway.lookUp(trade: Recorded.charge) == .notFound)
        if fixture != "charge-not-found" { #expect(logs.text.contains("not this till's"), "\(logs.text)") }
    }

    @Test(arguments: ["charge-succeeded-stale", "charge-succeeded-other-key"])
    func anAnswerThatFailsACheckIsInDoubtNeverFound(fixture: String) async {
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport(recorded: fixture)).lookUp(trade: Recorded.charge) else {
            Issue.record("\(fixture) was believed"); return
        }
    }

    @Test func anAnswerAboutAnotherChargeOrNoAnswerIsInDoubt() async {
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport(recorded: "charge-succeeded")).lookUp(trade: Self.foreign) else {
            Issue.record("an answer about another charge was believed"); return
        }
        guard case .inDoubt = await Recorded.gateway(ScriptedTransport([.failure(.timedOut)])).lookUp(trade: Recorded.charge) else {
            Issue.record("a timeout was not in doubt"); return
        }
    }

    @Test func aChargeIDThatIsNotOneIsNeverPutInAPath() async {
        let transport = ScriptedTransport([])
        for id in ["ch_../../v1/charges", "re_06cfeewewe4dc14de10fe0a", "ch_", "ch_a?b=c", String(repeating: "ch_0", count: 30)] {
            #expect(await Recorded.gateway(transport).lookUp(trade: id) == .notFound, "\(id)")
        }
        #expect(transport.sent.isEmpty)
    }

    // MARK: Answers of the other mode

    @Test func aQueryAnswerOfTheOtherModeNeverSettlesTheOrder() async {
        let verdict = await Recorded.gateway(ScriptedTransport(recorded: "charge-succeeded-live")).query(Recorded.reference)
        guard case .inDoubt(let why) = verdict else { Issue.record("\(verdict)"); return }
        #expect(why.contains("live charge"))
    }

    @Test func aChargeMadeInTheOtherModeIsRefusedWithTheFix() async {
        let qr = QRPayRequest(orderID: order, amount: Recorded.amount, subject: "Fixture sale", wallet: .alipay)
        let creation = await Recorded.gateway(ScriptedTransport(recorded: "charge-created-live")).createQR(qr)
        guard case .failed(.rejected(let problem)) = creation else { Issue.record("\(creation)"); return }
        #expect(problem.code == "LIVEMODE" && problem.message.contains("[providers.paymax]"))
    }
}
