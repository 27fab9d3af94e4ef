import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import Ledger
import Sandbox
import Testing
import TestSupport
import Till

/// Aggregator QR payments through the real till, the simulator and the notify server over
/// loopback HTTP: completed by polling, by the signed callback alone, and a late payment flagged.
@Suite struct AggregatorEndToEndTests {
    @Test func aQROrderPaidTenSecondsLaterIsPaidByPollingCheckOrder() async throws {
        try await AggregatorTill.run { till in
            let report = try await till.pay(12_10)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == AggregatorTill.cny(12_10))
            #expect(confirmation.gatewayTradeID.hasPrefix("A"))
            // The simulator takes "字符长度20" strictly: the till's number has exactly 20.
            #expect(report.order.id.rawValue.count == 20)
            #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5)])
            #expect(await till.sandbox.checkOrderCalls(report.order.id.rawValue) == 2)
            let stored = try #require(try till.ledger.order(report.order.id))
            #expect(stored.status == .paid)
            #expect(stored.gatewayTradeID == confirmation.gatewayTradeID)
        }
    }

    @Test func theSimulatorsQRLinkIsTheWalletsOwn() async throws {
        try await AggregatorTill.run { till in
            let shown = EndToEndBox<[String]>([])
            _ = try await till.runner.payByQR(AggregatorTill.cny(12_10), wallet: .alipay, subject: "Tea") { event in
                if case .showQR(let payload) = event { shown.update { $0.append(payload) } }
            }
            #expect(shown.current.count == 1)
            #expect(shown.current.first?.hasPrefix("https://qr.alipay.com/") == true, "\(shown.current)")
        }
    }

    @Test func overPlainHTTPThePaidAnswerIsNotBelievedAndTheSignedCallbackCompletesIt() async throws {
        // The customer pays as the first check_order leaves, so that poll always says paid.
        try await AggregatorTill.run(callbacks: true, plainHTTP: true, untilCallback: true, beforeCheckOrder: { sandbox, id in
            _ = await sandbox.customerPays(id.rawValue)
        }) { till in
            let report = try await till.pay(12_00)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == AggregatorTill.cny(12_00))
            let stored = try #require(try till.ledger.order(report.order.id))
            #expect(stored.status == .paid)
            // The ledger has it from the callback; check_order's own "paid" was set aside.
            #expect(try till.ledger.events(for: stored.id).contains { $0.kind == .notification && $0.detail.contains("paid by notification") })
            let answers = try till.ledger.attempts(for: stored.id).map(\.outcome)
            #expect(answers.contains { $0.contains("says paid") && $0.contains("waiting for its signed callback") }, "\(answers)")
            #expect(!answers.contains { $0.hasPrefix("paid") }, "\(answers)")
        }
    }

    @Test func whenCheckOrderFailsTheSignedCallbackCompletesTheOrderOverLoopback() async throws {
        try await AggregatorTill.run(callbacks: true, untilCallback: true) { till in
            let report = try await till.pay(12_14)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == AggregatorTill.cny(12_14))
            // The stepped clock lets the callback land before the first poll or after a few:
            // whatever polls went out met the error page, and the callback completed the order.
            let answers = try till.ledger.attempts(for: report.order.id).filter { $0.operation == .query }.map(\.outcome)
            #expect(answers.allSatisfy { $0.contains("HTTP 500") }, "\(answers)")
            #expect(try till.ledger.events(for: report.order.id).contains { $0.kind == .notification })
        }
    }

    /// pay_status 0 read as the seed's table reads it (交易失败, the `..12` scenario): still not
    /// a decline. The till waits out the code and leaves it open.
    @Test func aPaymentReportedFailedIsNotDeclinedTheTillWaitsOutTheCodeAndLeavesItOpen() async throws {
        try await AggregatorTill.run { till in
            let report = try await till.pay(12_12)

            #expect(report.result == .expired(closed: false))
            #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 36))
            #expect(try till.ledger.order(report.order.id)?.status == .expired)
            let answers = try till.ledger.attempts(for: report.order.id).filter { $0.operation == .query }.map(\.outcome)
            #expect(answers.count == 35)
            #expect(answers.allSatisfy { $0.contains("reports the payment as failed so far (pay_status 0)") }, "\(answers)")
        }
    }

    /// pay_status 0 read as the seed's check_order example reads it (the `..19` scenario: 0 on
    /// an unpaid order, from the unified order on): the code stays up, the cashier reads what
    /// the aggregator reports, and the customer who pays at the third poll is paid.
    @Test func payStatusZeroWhileUnpaidKeepsTheCodeUpAndTheCustomerCanStillPay() async throws {
        let asked = EndToEndBox(0)
        try await AggregatorTill.run(beforeCheckOrder: { sandbox, id in
            asked.update { $0 += 1 }
            if asked.current == 3 { _ = await sandbox.customerPays(id.rawValue) }
        }) { till in
            let progress = EndToEndBox<[CheckoutProgress]>([])
            let report = try await till.runner.payByQR(AggregatorTill.cny(12_19), wallet: .wechat, subject: "Tea") { event in
                progress.update { $0.append(event) }
            }

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == AggregatorTill.cny(12_19))
            #expect(till.clock.sleepsTaken == [.seconds(5), .seconds(5), .seconds(5)])
            #expect(progress.current.contains { if case .showQR = $0 { true } else { false } })
            let reasons = progress.current.compactMap { event -> String? in
                if case .waiting(.doubt(let reason), _, _, _, _) = event { reason.description } else { nil }
            }
            #expect(reasons.filter { $0.contains("reports the payment as failed so far (pay_status 0)") }.count == 2, "\(reasons)")
            let answers = try till.ledger.attempts(for: report.order.id).map(\.outcome)
            #expect(answers.first == "QR created", "\(answers)")
            #expect(answers.filter { $0.contains("failed so far") }.count == 2, "\(answers)")
            #expect(try till.ledger.order(report.order.id)?.status == .paid)
        }
    }

    @Test func payStatusZeroUntilTheCodeTimesOutEndsExpiredOpenAndALatePaymentIsFlagged() async throws {
        try await AggregatorTill.run(callbacks: true) { till in
            let report = try await till.pay(12_19)

            #expect(report.result == .expired(closed: false))
            #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 36))
            let id = report.order.id
            #expect(await till.sandbox.checkOrderCalls(id.rawValue) == 35)
            #expect(await till.sandbox.payStatus(id.rawValue) == 0)

            #expect(await till.sandbox.customerPays(id.rawValue))
            let flagged = await AggregatorTill.waitUntil(within: .seconds(20)) { (try? till.ledger.order(id))?.attention != nil }
            #expect(flagged)
            let stored = try #require(try till.ledger.order(id))
            #expect(stored.status == .expired)
            #expect(stored.attention?.contains("paid after close") == true, "\(stored.attention ?? "none")")
        }
    }

    @Test func theCashierGivingUpOnACodeReportedFailedLeavesItOpenNotDeclined() async throws {
        try await AggregatorTill.run { till in
            let control = CheckoutControl()
            let report = try await till.runner.payByQR(AggregatorTill.cny(12_19), wallet: .alipay, subject: "Tea", control: control) { event in
                if case .waiting(.doubt(let reason), _, _, _, _) = event, reason.description.contains("failed so far") { control.requestCancel() }
            }

            #expect(report.result == .expired(closed: false))
            // Given up at the first wait after the cancel (a wait already under way may end first).
            #expect((1...2).contains(await till.sandbox.checkOrderCalls(report.order.id.rawValue)))
            #expect(try till.ledger.order(report.order.id)?.status == .expired)
        }
    }

    @Test func aSignedFailedCallbackForAnOpenOrderIsAcknowledgedAndDeclinesNothing() async throws {
        try await AggregatorTill.run(callbacks: true) { till in
            let id = try till.openOrder("S261201180000FAILED1", fen: 12_00)
            var fields = callback(id, actual: "0.00")
            fields["pay_status"] = "0"
            fields["pay_time"] = ""

            let reply = try await till.postCallback(fields)

            #expect(reply.status == 200)
            #expect(reply.body == Array("SUCCESS".utf8))
            #expect(try till.ledger.order(id)?.status == .pending)
        }
    }

    /// The seed's callback example is JSON: through the notify server, it is the same payment.
    @Test func aSignedJSONCallbackPaysAnOpenOrderThroughTheNotifyServer() async throws {
        try await AggregatorTill.run(callbacks: true) { till in
            let id = try till.openOrder("S261201180000JSONCB1", fen: 12_00)
            var fields = callback(id, actual: "1200.00")
            fields["sign"] = AggregatorSignature.sign(fields, secret: AggregatorTill.account.secret, form: .callback)
            // As the seed's example writes it: pay_status a number, the rest strings.
            let json = GatewayJSON.object(fields.mapValues { .string($0) }.merging(["pay_status": .number("1")]) { $1 }).encoded

            // A null where the seed has a string, or a field named twice, is refused and changes nothing.
            for bad in [json.replacingOccurrences(of: #""attach":"""#, with: #""attach":null"#),
                        json.replacingOccurrences(of: #""attach":"""#, with: #""attach":"","amount":"1.00""#)] {
                let refused = try await till.post(bad, contentType: "application/json")
                #expect(refused.status == 400, "\(bad)")
                #expect(try till.ledger.order(id)?.status == .pending)
            }

            let reply = try await till.post(json, contentType: "application/json")

            #expect(reply.status == 200)
            #expect(reply.body == Array("SUCCESS".utf8))
            let stored = try #require(try till.ledger.order(id))
            #expect(stored.status == .paid)
            #expect(stored.gatewayTradeID == "A20261201180000000001")
            #expect(try till.ledger.events(for: id).contains { $0.kind == .notification && $0.detail.contains("paid by notification") })
        }
    }

    /// The simulator's `..20` scenario posts its callback as JSON; over plain http only the
    /// callback can say paid, so the JSON callback is what completes the sale.
    @Test(.timeLimit(.minutes(2)))
    func theSimulatorsJSONCallbackCompletesASaleOverPlainHTTP() async throws {
        try await AggregatorTill.run(callbacks: true, plainHTTP: true, untilCallback: true) { till in
            let report = try await till.pay(12_20)

            guard case .paid(let confirmation) = report.result else {
                Issue.record("expected paid, got \(report.result)")
                return
            }
            #expect(confirmation.amount == AggregatorTill.cny(12_20))
            let events = try till.ledger.events(for: report.order.id).filter { $0.kind == .notification }
            #expect(events.contains { $0.detail.contains("paid by notification") && $0.detail.contains(#""pay_status":1"#) }, "\(events)")
        }
    }

    @Test func aQROrderNobodyPaysExpiresOpenAndALatePaymentIsFlagged() async throws {
        try await AggregatorTill.run(callbacks: true) { till in
            let report = try await till.pay(12_00)

            // No close exists: the till stops waiting and leaves the order open at the aggregator.
            #expect(report.result == .expired(closed: false))
            #expect(till.clock.sleepsTaken == Array(repeating: .seconds(5), count: 36))
            let id = report.order.id
            #expect(try till.ledger.attempts(for: id).allSatisfy { $0.operation == .createQRCode || $0.operation == .query })

            // A forged callback and a short payment change nothing.
            let forged = try await till.postCallback(callback(id, actual: "1200.00"), secret: "guessed-secret")
            #expect(forged.status == 403)
            let short = try await till.postCallback(callback(id, actual: "1100.00"))
            #expect(short.body != Array("SUCCESS".utf8))
            var stored = try #require(try till.ledger.order(id))
            #expect(stored.status == .expired)
            #expect(stored.attention == nil)

            // The customer pays late: the simulator's callback is applied and the order flagged.
            #expect(await till.sandbox.customerPays(id.rawValue))
            let flagged = await AggregatorTill.waitUntil(within: .seconds(20)) { (try? till.ledger.order(id))?.attention != nil }
            #expect(flagged)
            stored = try #require(try till.ledger.order(id))
            #expect(stored.status == .expired)
            #expect(stored.attention?.contains("paid after close") == true, "\(stored.attention ?? "none")")
        }
    }

    @Test func aPaymentOneYuanShortIsNeverRecordedAsPaid() async throws {
        try await AggregatorTill.run { till in
            let report = try await till.pay(12_17)

            guard case .unknown(let why) = report.result else {
                Issue.record("expected unknown, got \(report.result)")
                return
            }
            #expect(why.description.contains("11.17"), "\(why)")
            #expect(try till.ledger.order(report.order.id)?.status == .unknown)
        }
    }

    /// A callback for order `id` of CNY 12.00, paid `actual`.
    func callback(_ id: OrderID, actual: String) -> [String: String] {
        ["appid": AggregatorTill.account.appID, "order_no": id.rawValue, "amount": "1200.00", "actual_amount": actual,
         "attach": "", "pay_status": "1", "pay_time": "2026-12-01 18:00:00", "platform_order_no": "A20261201180000000001"]
    }
}

/// What the aggregator cannot do is refused by the till before anything is sent.
@Suite struct AggregatorRefusalTests {
    @Test func aRefundOrACloseIsRefusedWithTheReasonAndNothingIsSentOrWritten() async throws {
        try await AggregatorTill.run { till in
            let paid = try await till.pay(12_10)
            let attempts = try till.ledger.attempts(for: paid.order.id).count

            await #expect(throws: TillError.unsupported(gateway: "aggregator", what: "refunds (refund this order in the aggregator's merchant back office)")) {
                _ = try await till.runner.refund(paid.order.id, amount: nil, reason: "changed mind")
            }
            #expect(try till.ledger.refunds(for: paid.order.id).isEmpty)
            #expect(try till.ledger.attempts(for: paid.order.id).count == attempts)

            let short = try await till.pay(12_17)
            #expect(short.order.status == .unknown)
            let before = try till.ledger.attempts(for: short.order.id).count
            do {
                _ = try await till.runner.cancel(short.order.id)
                Issue.record("a close was not refused")
            } catch {
                #expect("\(error)".contains("does not offer closing a QR order"), "\(error)")
                #expect("\(error)".contains("nothing was sent"), "\(error)")
            }
            #expect(try till.ledger.attempts(for: short.order.id).count == before)
        }
    }
}
