import CheckoutCore
import Foundation
import Ledger
import Sandbox
import Testing
import TestSupport
import Till
import WantuGateway

/// QR orders through the real till and the sandbox: paid by the customer's phone, paid on its
/// own after 10 s (`..10`), or closed when nobody pays.
@Suite struct EndToEndQRTests {
    @Test func aQROrderPaidByTheCustomerWhileTheTillWaitsEndsPaid() async throws {
        try await EndToEndTill.run { till in
            let orderNumber = EndToEndBox<String?>(nil)
            let shown = EndToEndBox<[String]>([])
            let sandbox = till.sandbox
            let report = try await till.runner.payByQR(EndToEndTill.hkd(58_00), wallet: .wechat, subject: "Dinner") { event in
                switch event {
                case .recorded(let id):
                    orderNumber.update { $0 = id.rawValue }
                case .showQR(let payload):
                    shown.update { $0.append(payload) }
                    // The customer scans the code on the screen and pays.
                    if let number = orderNumber.current { Task { _ = await sandbox.payQROrder(number) } }
                default:
                    break
                }
            }

            #expect(shown.current.count == 1)
            #expect(shown.current.first?.hasPrefix("weixin://wxpay/bizpayurl?pr=") == true)
            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(confirmation.gatewayTradeID == atSandbox.tradeID)
            #expect(atSandbox.isQR)
            #expect(atSandbox.status == .paid)
            #expect(atSandbox.closeCalls == 0)
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func aQROrderThatPaysItselfAfterTenSecondsIsPaidOnTheSecondQuery() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.runner.payByQR(EndToEndTill.hkd(20_10), wallet: .alipay, subject: "Snacks")

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == EndToEndTill.hkd(20_10))
            #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5)])
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.payChannel == 2)
            #expect(atSandbox.queryCalls == 2)
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func aQROrderNobodyPaysIsClosedAndEndsExpired() async throws {
        try await EndToEndTill.run { till in
            let report = try await till.runner.payByQR(EndToEndTill.hkd(20_00), wallet: .wechat, subject: "Snacks")

            #expect(report.result == .expired(closed: true))
            #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 36))
            let atSandbox = try #require(await till.atSandbox(report.order))
            #expect(atSandbox.status == .closed)
            #expect(atSandbox.closeCalls == 1)
            #expect(atSandbox.queryCalls == 35)
            #expect(try till.ledger.order(report.order.id)?.status == .expired)
            // Closed means closed: the customer scanning now cannot pay it.
            #expect(await till.sandbox.payQROrder(report.order.id.rawValue) == false)
        }
    }
}
