import CheckoutCore
import Foundation
import Sandbox
import Testing
import TestSupport
import WantuGateway
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `shroff` process's sandbox on a state file: its own stepping clock (a new process's
/// monotonic clock starts again), and a wall clock that starts at `wallStart` and moves with it.
struct SandboxProcess {
    /// 2024-03-08 09:00:00 in Hong Kong.
    static let opening = Date(timeIntervalSince1970: 1_709_859_600)
    static let wechatCode = "134642301183243245"

    let clock = SteppingClock()
    let logs = CapturedLogs()
    let account = SandboxAccount.training
    let sandbox: WantuSandbox

    init(file: String, startingAfter seconds: TimeInterval = 0) {
        let clock = self.clock
        let logs = self.logs
        let start = Self.opening.addingTimeInterval(seconds)
        sandbox = WantuSandbox(
            account: .training, clock: clock.checkoutClock,
            wallClock: { start.addingTimeInterval(clock.now.offset.timeInterval) },
            logger: logs.logger("sandbox-persistence-test"),
            stateFile: file)
    }

    func call(_ endpoint: String, _ business: [String: String]) async -> SandboxAnswer {
        var parameters = ["merchant_account": account.merchantAccount, "store_account": account.storeAccount,
                          "pay_channel": "1", "send_time": "2024-03-08 09:00:00", "version": "1.0"]
            .merging(business) { $1 }
        parameters["sign"] = WantuSignature.sign(parameters, key: account.key)
        let reply = await sandbox.handle(path: "/paygate/\(endpoint)", body: WantuWire.encodeRequest(parameters))
        return SandboxAnswer(reply, key: account.key)
    }

    func pospay(_ fee: String, order: String) async -> SandboxAnswer {
        await call("pospay", ["total_fee": fee, "subject": "Jasmine tea", "out_trade_no": order, "auth_code": Self.wechatCode,
                              "fee_type": "HKD", "notify_url": "http://127.0.0.1:9/notify"])
    }

    func createQR(_ fee: String, order: String) async -> SandboxAnswer {
        await call("create-qrcode", ["total_fee": fee, "subject": "Jasmine tea", "product_id": "tea", "out_trade_no": order,
                                     "fee_type": "HKD", "notify_url": "http://127.0.0.1:9/notify"])
    }

    func query(_ order: String) async -> SandboxAnswer { await call("query", ["out_trade_no": order]) }

    func refund(_ order: String, total: String, fee: String, number: String) async -> SandboxAnswer {
        await call("refund", ["out_trade_no": order, "total_fee": total, "refund_fee": fee,
                              "refund_fee_type": "HKD", "out_refund_no": number])
    }
}

extension Duration {
    fileprivate var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// A new folder under the system's temporary folder, removed when `body` ends.
func withStateFolder(_ body: (String) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("SandboxState-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await body(folder)
}

@Suite struct SandboxPersistenceTests {
    // MARK: - Orders and refunds carry over

    @Test func aPaymentMadeInOneProcessQueriesAsPaidInTheNext() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let paid = await first.pospay("1250", order: "P0001")
            #expect(paid.code == 200)
            let tradeID = try #require(paid.text("trade_id"))

            let second = SandboxProcess(file: file, startingAfter: 60)
            let answer = await second.query("P0001")
            #expect(answer.code == 200)
            #expect(answer.verified)
            #expect(answer.text("trade_status") == "SUCCESS")
            #expect(answer.text("trade_id") == tradeID)
            #expect(answer.text("trade_time") == "2024-03-08 09:00:00")
            #expect(answer.fields["total_fee"] == .integer(1250))
            // Found by its trade number too: the index came back with the order.
            #expect(await second.call("query", ["trade_id": tradeID]).text("out_trade_no") == "P0001")
            // Paid once only: the same number again is ORDER_PAID, not a second charge.
            #expect(await second.pospay("1250", order: "P0001").code == 401)
            #expect(await second.sandbox.order("P0001")?.pospayCalls == 2)
        }
    }

    @Test func refundsCarryOnWithWhatIsLeftToRefund() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let tradeID = try #require(await first.pospay("1000", order: "R0001").text("trade_id"))
            #expect(await first.refund("R0001", total: "1000", fee: "300", number: "R0001-1").text("refund_id") == "\(tradeID)_0")

            let second = SandboxProcess(file: file, startingAfter: 120)
            let tooMuch = await second.refund("R0001", total: "1000", fee: "800", number: "R0001-2")
            #expect(tooMuch.code == 508)
            let rest = await second.refund("R0001", total: "1000", fee: "700", number: "R0001-2")
            #expect(rest.code == 200)
            #expect(rest.text("refund_id") == "\(tradeID)_1")
            // A retry of the first process's refund gets its answer back and refunds nothing more.
            let retry = await second.refund("R0001", total: "1000", fee: "300", number: "R0001-1")
            #expect(retry.code == 200)
            #expect(retry.text("refund_id") == "\(tradeID)_0")

            let third = SandboxProcess(file: file, startingAfter: 240)
            let order = try #require(await third.sandbox.order("R0001"))
            #expect(order.refundCount == 2)
            #expect(order.refundedTotal == Money(minorUnits: 1000, currency: .hkd))
            #expect(order.refundCalls == 4)
        }
    }

    @Test func aHangingRefundCarriedOutBeforeARestartIsAnsweredAfterIt() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let tradeID = try #require(await first.pospay("1000", order: "H0001").text("trade_id"))
            #expect(await first.refund("H0001", total: "1000", fee: "207", number: "H0001-1").hung)
            // The process ends while the till waits for an answer; a new one takes the retry.

            let second = SandboxProcess(file: file, startingAfter: 30)
            let retry = await second.refund("H0001", total: "1000", fee: "207", number: "H0001-1")
            #expect(retry.code == 200)
            #expect(retry.verified)
            #expect(retry.text("refund_id") == "\(tradeID)_0")
            let order = try #require(await second.sandbox.order("H0001"))
            #expect(order.refundCount == 1)
            #expect(order.refundedTotal == Money(minorUnits: 207, currency: .hkd))
        }
    }

    @Test func aHangingPaymentIsPaidAfterARestart() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            #expect(await first.pospay("1207", order: "H0002").hung)

            let second = SandboxProcess(file: file, startingAfter: 30)
            let answer = await second.query("H0002")
            #expect(answer.text("trade_status") == "SUCCESS")
            #expect(answer.text("trade_time") == "2024-03-08 09:00:00")
        }
    }

    @Test func theOrderListOfALaterProcessListsEarlierOrders() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let tea = try #require(await first.pospay("1250", order: "L0001").text("trade_id"))   // 09:00:00
            first.clock.advance(by: .seconds(60))
            let cake = try #require(await first.pospay("2000", order: "L0002").text("trade_id"))  // 09:01:00
            #expect(await first.refund("L0001", total: "1250", fee: "250", number: "L0001-1").code == 200)  // 09:01:00

            let second = SandboxProcess(file: file, startingAfter: 3600)
            let list = await second.call("order-list", ["start_date": "2024-03-08 00:00:00", "end_date": "2024-03-08 23:59:59"])
            #expect(list.code == 200)
            guard case .array(let lines)? = list.fields["order_list"] else {
                Issue.record("no order_list")
                return
            }
            let entries = lines.compactMap { line -> [String: WantuJSON]? in
                if case .object(let entry) = line { return entry }
                return nil
            }
            #expect(entries.map { $0["trade_id"] } == [.string(tea), .string(cake), .string(tea)])
            #expect(entries.map { $0["type"] } == [.integer(1), .integer(1), .integer(-1)])
            #expect(entries.map { $0["date_added"] } == [.string("2024-03-08 09:00:00"), .string("2024-03-08 09:01:00"),
                                                         .string("2024-03-08 09:01:00")])
            #expect(entries.last?["refund_id"] == .string("\(tea)_0"))
            #expect(await second.sandbox.orderNumbers == ["L0001", "L0002"])
        }
    }

    @Test func burntOrderNumbersAndCustomerPaidQROrdersCarryOver() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            #expect(await first.call("cancel", ["out_trade_no": "B0001"]).code == 200)  // never seen: burnt
            #expect(await first.createQR("2000", order: "Q0001").code == 200)
            #expect(await first.sandbox.payQROrder("Q0001"))

            let second = SandboxProcess(file: file, startingAfter: 30)
            #expect(await second.pospay("1250", order: "B0001").code == 400)
            #expect(await second.query("Q0001").text("trade_status") == "SUCCESS")
            #expect(await second.sandbox.payQROrder("Q0001") == false)
        }
    }

    @Test func twoSandboxesOnOneFileAtOnceTakeUpEachOthersOrders() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            // Two shroff processes in training, started before either has paid anything.
            let till = SandboxProcess(file: file)
            let status = SandboxProcess(file: file)
            let first = try #require(await till.pospay("1250", order: "C0001").text("trade_id"))

            #expect(await status.query("C0001").text("trade_id") == first)
            let second = try #require(await status.pospay("2000", order: "C0002").text("trade_id"))
            #expect(second != first)

            // The first one's next save keeps the second one's order.
            #expect(await till.refund("C0001", total: "1250", fee: "250", number: "C0001-1").code == 200)
            #expect(await till.query("C0002").text("trade_id") == second)
            #expect(await SandboxProcess(file: file).sandbox.orderNumbers.sorted() == ["C0001", "C0002"])
        }
    }

    // MARK: - Timers

    @Test func aConfirmingCustomerRestartedBeforeTheDueTimeIsPaidWhenItComes() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            #expect(await first.pospay("1204", order: "T0001").code == 506)  // confirms at 09:00:08

            let second = SandboxProcess(file: file, startingAfter: 5)
            #expect(await second.query("T0001").text("trade_status") == "NOT_PAY")
            second.clock.advance(by: .seconds(2))                            // 09:00:07
            #expect(await second.query("T0001").text("trade_status") == "NOT_PAY")
            second.clock.advance(by: .seconds(1))                            // 09:00:08
            let paid = await second.query("T0001")
            #expect(paid.text("trade_status") == "SUCCESS")
            #expect(paid.text("trade_time") == "2024-03-08 09:00:08")
        }
    }

    @Test(arguments: [("pospay", "1204", "2024-03-08 09:00:08"), ("create-qrcode", "1010", "2024-03-08 09:00:10")])
    func aTimerWhoseWallClockDueTimePassedDuringARestartIsDueAtOnce(endpoint: String, fee: String, paidAt: String) async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let created = endpoint == "pospay" ? await first.pospay(fee, order: "T0002") : await first.createQR(fee, order: "T0002")
            #expect(created.code == (endpoint == "pospay" ? 506 : 200))
            #expect(await first.query("T0002").text("trade_status") == "NOT_PAY")

            let second = SandboxProcess(file: file, startingAfter: 600)
            let answer = await second.query("T0002")
            #expect(answer.text("trade_status") == "SUCCESS")
            // Dated when it fell due, not when the new process noticed.
            #expect(answer.text("trade_time") == paidAt)
        }
    }

    @Test func aWallClockSetBackDoesNotDelayATimerBeyondItsOwnDelay() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file, startingAfter: 3600)
            #expect(await first.pospay("1204", order: "T0003").code == 506)

            // The next process's wall clock reads an hour earlier than the first one's did.
            let second = SandboxProcess(file: file)
            #expect(await second.query("T0003").text("trade_status") == "NOT_PAY")
            second.clock.advance(by: SandboxScenario.confirmDelay)
            #expect(await second.query("T0003").text("trade_status") == "SUCCESS")
        }
    }

    // MARK: - Trade numbers

    @Test func freshSandboxesOnDifferentFilesGiveDifferentTradeNumbers() async throws {
        try await withStateFolder { folder in
            let one = SandboxProcess(file: folder + "/one.json")
            let other = SandboxProcess(file: folder + "/other.json")
            // Same second on both wall clocks: only the sequence tells them apart.
            let a = try #require(await one.pospay("1250", order: "N0001").text("trade_id"))
            let b = try #require(await other.pospay("1250", order: "N0001").text("trade_id"))
            #expect(a != b)
            for id in [a, b] {
                #expect(id.count == 24)
                #expect(id.hasPrefix("100020240308090000"))
                #expect(id.allSatisfy { $0.isNumber })
            }
        }
    }

    @Test func aSandboxOnTheSameFileContinuesTheTradeSequence() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            let a = try #require(await first.pospay("1250", order: "N0002").text("trade_id"))
            let second = SandboxProcess(file: file)   // same wall second as the first order
            let b = try #require(await second.pospay("1250", order: "N0003").text("trade_id"))
            let next = (try #require(Int(a.suffix(6))) + 1) % 1_000_000
            #expect(b == "100020240308090000" + String(format: "%06d", next))
        }
    }

    // MARK: - The file

    @Test(arguments: ["{ this is not json", "[]", #"{"version":99,"tradeSequence":1,"orders":[],"burntOrderNumbers":[]}"#])
    func anUnusableFileIsMovedAsideAndTheSandboxStartsEmpty(content: String) async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            try Data(content.utf8).write(to: URL(fileURLWithPath: file))

            let sandbox = SandboxProcess(file: file)
            #expect(await sandbox.sandbox.orderNumbers.isEmpty)
            let aside = folder + "/sandbox.json.corrupt-20240308090000"
            #expect(FileManager.default.contents(atPath: aside) == Data(content.utf8))
            #expect(!FileManager.default.fileExists(atPath: file))
            #expect(sandbox.logs.all.contains { $0.hasPrefix("warning") && $0.contains("unusable") && $0.contains(aside) })

            // Training goes on, and saves a good file again.
            #expect(await sandbox.pospay("1250", order: "F0001").code == 200)
            #expect(await SandboxProcess(file: file).query("F0001").text("trade_status") == "SUCCESS")
        }
    }

    @Test func aMissingFileIsAnEmptySandboxAndNothingIsWrittenUntilAChange() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sub/sandbox.json"
            let sandbox = SandboxProcess(file: file)
            #expect(await sandbox.sandbox.orderNumbers.isEmpty)
            #expect(await sandbox.call("currency", [:]).code == 200)
            #expect(!FileManager.default.fileExists(atPath: file))
            #expect(await sandbox.pospay("1250", order: "F0002").code == 200)
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(sandbox.logs.all.allSatisfy { !$0.hasPrefix("warning") })
        }
    }

    @Test func theFileIsTheOwnersOnlyAndHoldsNoKeyNorPaymentCode() async throws {
        try await withStateFolder { folder in
            let file = folder + "/sandbox.json"
            let first = SandboxProcess(file: file)
            #expect(await first.pospay("1250", order: "K0001").code == 200)
            var info = stat()
            #expect(stat(file, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)

            // A file someone made readable by everyone is replaced by one that is not.
            #expect(chmod(file, 0o644) == 0)
            let second = SandboxProcess(file: file)
            #expect(await second.refund("K0001", total: "1250", fee: "250", number: "K0001-1").code == 200)
            #expect(stat(file, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)

            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("K0001-1"))
            #expect(!text.contains(SandboxAccount.training.key))
            #expect(!text.contains(SandboxProcess.wechatCode))
            // Nothing left behind by the atomic writes.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["sandbox.json"])
        }
    }
}
