import CheckoutCore
import Foundation
import Ledger
import Testing
import TestSupport
import Till

/// A QR order through the runner: the code reaches the screen first, then the till polls until
/// the customer pays, the order runs out, or the cashier gives up.
@Suite struct CheckoutRunnerQRTests {
    @Test func theQRCodeIsShownBeforeAnyQueryAndAPaymentAfterTwentySecondsEndsPaid() async throws {
        let till = try TillFixture()
        let progress = ProgressLog()
        let shownBeforeQuery = Observed<[Bool]>([])
        till.gateway.script { [clock = till.clock] script in
            script.createQR = { _ in .created(payload: "weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j") }
            script.query = { order, _ in
                shownBeforeQuery.update { $0.append(progress.all.contains(.showQR("weixin://wxpay/bizpayurl?pr=Ab3dE5gH7j"))) }
                // The customer scans and confirms 20 s after the code appears.
                return clock.now.offset >= .seconds(20) ? .paid(ScriptedGateway.confirmation(order.amount, trade: "T-QR")) : .notPaid
            }
        }

        let report = try await till.runner.payByQR(hkd(58_00), wallet: .wechat, subject: "Dinner", progress: progress.callback)

        #expect(shownBeforeQuery.current == [true, true, true, true])
        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(58_00), trade: "T-QR")))
        #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5), .seconds(5), .seconds(5)])
        #expect(till.gateway.calls.first == .createQR(report.order.id))
        let stored = try #require(try till.ledger.order(report.order.id))
        #expect(stored.status == .paid)
        #expect(stored.method == .qr)
        #expect(stored.gatewayTradeID == "T-QR")
    }

    @Test func aQROrderNobodyPaysIsClosedAtItsDeadlineAndEndsExpired() async throws {
        let till = try TillFixture()
        till.gateway.script { script in
            script.query = { _, _ in .notPaid }
            script.close = { _, _ in .cancelled }
        }

        let report = try await till.runner.payByQR(hkd(20_00), wallet: .alipay, subject: "Snacks")

        #expect(report.result == .expired(closed: true))
        #expect(till.gateway.closes(of: report.order.id) == 1)
        #expect(till.gateway.cancels(of: report.order.id) == 0)
        // Polled every 5 s for the whole 180 s QR lifetime, and not a moment longer.
        #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 36))
        #expect(till.gateway.queries(of: report.order.id) == 35)
        #expect(try till.ledger.order(report.order.id)?.status == .expired)
    }

    @Test func theCashierAbandoningTheQRClosesItWithoutWaiting() async throws {
        let till = try TillFixture()
        let control = CheckoutControl()
        let progress = ProgressLog()

        let report = try await till.runner.payByQR(hkd(9_90), wallet: .wechat, subject: "Coffee", control: control) { event in
            progress.record(event)
            if case .showQR = event { control.requestCancel() }  // the customer walks away
        }

        #expect(report.result == .cancelled(.cashier))
        #expect(till.gateway.calls == [.createQR(report.order.id), .close(report.order.id)])
        #expect(till.clock.sleepsTaken.isEmpty)
        #expect(try till.ledger.order(report.order.id)?.status == .cancelled)
        #expect(progress.all.last == .finished(.cancelled(.cashier)))
    }

    @Test func aQROrderThatCouldNotBeCreatedIsClosedAndNeverShown() async throws {
        let till = try TillFixture()
        let progress = ProgressLog()
        till.gateway.script { script in
            script.createQR = { _ in .failed(.inDoubt("the server did not answer in time")) }
        }

        let report = try await till.runner.payByQR(hkd(12_00), wallet: .wechat, subject: "Tea", progress: progress.callback)

        #expect(report.result.orderStatus == .cancelled)
        #expect(!progress.all.contains { if case .showQR = $0 { true } else { false } })
        #expect(till.gateway.closes(of: report.order.id) == 1)
        #expect(try till.ledger.order(report.order.id)?.status == .cancelled)
    }
}
