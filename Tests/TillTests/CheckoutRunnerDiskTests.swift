import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing
import Till

/// A ledger that cannot record a sale: no payment starts; and when the last write fails after
/// the gateway took the money, the report says so and the order is left to be settled again.
@Suite struct CheckoutRunnerDiskTests {
    @Test func aDiskWithoutRoomForASaleStopsItBeforeAnythingIsSent() async throws {
        let till = try TillFixture()
        // More room than any disk has: the real free space, read with statvfs, falls short.
        let runner = CheckoutRunner(gateway: till.gateway, ledger: till.ledger, policy: CheckoutPolicy(),
                                    timeZone: TillFixture.timeZone, clock: till.clock.checkoutClock, roomForASale: .max)

        await #expect {
            _ = try await runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea")
        } throws: { error in
            guard case TillError.notRecorded(.diskNearlyFull(let path, _)) = error else { return false }
            return path == till.ledgerPath && "\(error)".contains("nothing was sent")
        }
        #expect(till.gateway.calls.isEmpty)
        #expect(try till.ledger.orders(withStatus: Set(OrderStatus.allCases)).isEmpty)
    }

    @Test func theDefaultRoomIsThereOnThisMachineSoSalesGoThrough() async throws {
        let till = try TillFixture()
        let report = try await till.runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea")
        #expect(report.order.status == .paid)
    }

    @Test func aFinalWriteThatFailsIsReportedAndTheOrderStaysOpenForTheNextStart() async throws {
        let ledgerToBreak = Observed<Ledger?>(nil)
        let till = try TillFixture(.init(pay: { request in
            // The gateway takes the money; meanwhile the ledger stops accepting writes.
            try? ledgerToBreak.current?.close()
            return .paid(ScriptedGateway.confirmation(request.amount))
        }))
        ledgerToBreak.set(till.ledger)

        let report = try await till.runner.payByCode(hkd(1230), code: try scannedCode(), subject: "Tea")

        #expect(report.result == .paid(ScriptedGateway.confirmation(hkd(1230))))
        #expect(!report.ledgerProblems.isEmpty, "the failed write was not reported")
        let reopened = try SQLiteLedger(path: till.ledgerPath)
        defer { try? reopened.close() }
        #expect(try reopened.order(report.order.id)?.status == .pending, "the ledger should still show the order open")
    }
}
