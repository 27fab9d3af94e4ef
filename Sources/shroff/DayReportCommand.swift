import ArgumentParser
import CheckoutCore
import Foundation
import Ledger
import Owner
import Words

/// `shroff report`: the X report of a day (the day so far), for this till, another, or all
/// tills of the store. It reads the ledger only and closes nothing.
struct DayReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the X report of a day (this till's, another's, or all tills'): paid, received, refunded and net by wallet.",
        discussion: "Reads the ledger only and closes nothing; the till's screen makes the Z report, which closes the till's day.")

    @Option(help: ArgumentHelp("The day, YYYY-MM-DD in the store's time zone (default: today).", valueName: "date"))
    var date: String?

    @OptionGroup var tillOptions: TillOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        await session.close()
        let day = try date.map { try session.day($0) } ?? session.today
        let report: DayReport
        do {
            let scope = try tillOptions.scope(session.ledger)
            report = try session.ledger.dayReport(day: day, currency: session.currency, tills: scope.tills)
        } catch {
            throw ShroffFailure(error.description)
        }
        let words = session.output.words
        let all = report.tills == .allTills
        var heading = words("report.day", ["day": words.day(report.day)]) + ", " + words.tills(report.tillNames, all: all)
        if let closed = report.closedAt { heading += words("report.closed_at", ["time": closed.formatted(.iso8601)]) }
        var lines = [words("report.x_title"), heading]
        for line in report.wallets {
            lines.append("  \(pad(words.wallet(line.wallet), 12)) \(words("report.paid_orders")) \(line.count)  "
                         + "\(words("report.paid")) \(words.amount(line.paid))  \(words("report.received")) \(words.amount(line.received))  "
                         + "\(words("report.refunded")) \(words.amount(line.refunded))")
        }
        for (label, money) in [("report.total_paid", report.paid), ("report.received", report.received),
                               ("report.refunds", report.refunded), ("report.net", report.net)] {
            lines.append("  \(pad(words(label), 14)) \(words.amount(money))")
        }
        let counts = OrderStatus.allCases.compactMap { status -> String? in
            guard let count = report.countsByStatus[status], count > 0 else { return nil }
            return words("report.status_count", ["status": words("report.status.\(status.rawValue)"), "count": String(count)])
        }
        lines.append(words("report.orders", ["counts": counts.isEmpty ? words("report.none") : counts.joined(separator: words("list.separator"))]))
        let object: [String: JSONValue] = [
            "date": .string(report.day),
            "tills": .array(report.tillNames.map { .string($0) }),
            "all_tills": .bool(all),
            "closed_at": .optional(report.closedAt?.formatted(.iso8601)),
            "currency": .string(report.currency.code),
            "paid": .string(report.paid.decimalString),
            "received": .string(report.received.decimalString),
            "refunded": .string(report.refunded.decimalString),
            "net": .string(report.net.decimalString),
            "orders": .int(Int64(report.orderCount)),
            "paid_orders": .int(Int64(report.countsByStatus[.paid] ?? 0)),
            "refunds": .int(Int64(report.refundCount)),
            "open_orders": .array(report.openOrders.map { .string($0.rawValue) }),
            "wallets": .array(report.wallets.map { line in
                .object(["wallet": .string(line.wallet.rawValue), "paid_orders": .int(Int64(line.count)),
                         "paid": .string(line.paid.decimalString), "received": .string(line.received.decimalString),
                         "refunded": .string(line.refunded.decimalString)])
            }),
        ]
        session.output.result(lines.joined(separator: "\n"), object)
    }
}
