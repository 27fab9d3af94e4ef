import Foundation
import Logging

/// `shroff-bench`: how fast the till is on this machine, as a table of medians and 95th
/// percentiles. Run it as `swift build -c release && swift run -c release shroff-bench`
/// (the start-up rows need the release `shroff` beside it). It takes about 30 s on 2 cores,
/// touches only a temporary folder, and talks to nothing beyond 127.0.0.1.
///
/// It measures; it asserts nothing about speed. It does stop with an error when a measured
/// operation does not do its job (a payment not paid, `shroff info` failing), so no figure
/// comes from a broken path.
@main
enum Bench {
    static let startUpRuns = 30
    static let paymentRuns = 200
    static let ledgerOrders = 1000
    static let notificationCount = 4000
    static let notificationClients = 4
    static let watchRuns = 50

    static func main() async {
        // The sandbox and the till log every request at info level; a table needs a quiet stdout.
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shroff-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await run(in: folder)
        } catch {
            FileHandle.standardError.write(Data("shroff-bench: \(error)\n".utf8))
            try? FileManager.default.removeItem(at: folder)
            exit(1)
        }
    }

    static func run(in folder: URL) async throws {
        // Other work on the machine skews every row: say how busy it was at the start.
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map { ", load average \($0)" } ?? ""
        print("shroff-bench: \(ProcessInfo.processInfo.activeProcessorCount) CPUs, \(ProcessInfo.processInfo.operatingSystemVersionString)\(load)")
        #if DEBUG
        print("WARNING: this is a debug build; figures are meaningful only with `swift run -c release shroff-bench`.")
        #endif
        var table = Table()

        if let shroff = shroffBinary() {
            let fresh = try startUp(binary: shroff, in: folder, runs: startUpRuns, freshData: true)
            table.row("start-up: `shroff info`, training, new data folder", fresh.time, unit: "ms")
            table.row("  peak RSS of that child", fresh.peakRSS, unit: "MB")
            let existing = try startUp(binary: shroff, in: folder, runs: startUpRuns, freshData: false)
            table.row("start-up: `shroff info`, training, ledger exists", existing.time, unit: "ms")
            table.row("  peak RSS of that child", existing.peakRSS, unit: "MB")
            let shop = try startUp(binary: shroff, in: folder, runs: startUpRuns, freshData: false, configuration: shopConfiguration)
            table.row("start-up: `shroff info`, a shop's configuration file", shop.time, unit: "ms")
            table.row("  peak RSS of that child", shop.peakRSS, unit: "MB")
            // A new folder each run: every payment needs a code not used before in its ledger.
            let pay = try startUp(binary: shroff, in: folder, runs: startUpRuns, freshData: true,
                                  arguments: ["pay", "--amount", "12.30", "--code", "134642301183243245"])
            table.row("`shroff pay` in training, start to paid and exit", pay.time, unit: "ms")
            table.row("  peak RSS of that child (a till after a payment)", pay.peakRSS, unit: "MB")
        } else {
            table.note("start-up: not measured, no `shroff` beside this program; run `swift build -c release` first")
        }

        let scan = try await scanCheckout(in: folder, runs: paymentRuns)
        table.row("scan → pospay handed to curl (ledger writes incl.)", scan.handedOver, unit: "ms")
        table.row("scan → pospay read and checked by the sandbox", scan.arrived, unit: "ms")
        table.row("scan → paid (full round trip, immediate success)", scan.roundTrip, unit: "ms")

        table.row("QR: encode + halfBlockRows(margin: 2), \(qrPayload.count) chars", try qrDrawing(), unit: "µs")

        let ledger = try ledgerWrites(in: folder, orders: ledgerOrders)
        table.row("ledger: insert + updateOrder(paid), per order, file", ledger.perOrder, unit: "µs")
        table.note("ledger: \(ledgerOrders) orders in a row: \(Table.format(ledger.inARow.milliseconds)) ms in all")

        table.row("signing: WantuSignature.sign, \(pospayParameters.count) pospay parameters", signing(), unit: "µs")

        table.row("notification: read + verify (JSON, duplicate keys, MD5)", try notificationVerifying(), unit: "µs")
        table.row("notification: applied to a file ledger (one synced transaction)", try notificationApplying(in: folder, runs: 1000), unit: "µs")
        let notified = try await notifications(in: folder, count: notificationCount, clients: notificationClients)
        table.row("notify-server: POST → SUCCESS, \(notificationClients) clients, verified + applied", notified.latency, unit: "ms")
        table.note("notify-server: \(notificationCount) notifications at \(Table.format(notified.perSecond)) per second")
        table.row("notification commit → waiting till, SQLite (row read every 100 ms)",
                  try await notificationToTillOnSQLite(in: folder, runs: watchRuns), unit: "ms")
        do {
            table.row("notification commit → waiting till, PostgreSQL (LISTEN/NOTIFY)",
                      try await notificationToTillOnPostgreSQL(runs: watchRuns), unit: "ms")
        } catch let error as BenchFailure {
            table.note("notification commit → waiting till, PostgreSQL: not measured: \(error)")
        }

        let year = try yearLedger(in: folder)
        table.note("year ledger: \(yearOrders) orders over \(yearDays) days built in \(Table.format(year.build.milliseconds)) ms (one transaction), \(Table.format(year.fileMB)) MB; the busiest day has \(year.busiestDayOrders)")
        table.row("year ledger: the busiest day's orders with refunds (`shroff orders`)", year.dayListing.inMilliseconds, unit: "ms")
        table.row("year ledger: X report of the busiest day", year.xReport.inMilliseconds, unit: "ms")
        table.row("year ledger: Z report (closes a day; each run another day)", year.zReport.inMilliseconds, unit: "ms")
        table.row("year ledger: a history page of 20, newest first, 200 pages deep", year.historyPage.inMilliseconds, unit: "ms")
        table.row("year ledger: a search of the whole history, first page of 20", year.search.inMilliseconds, unit: "ms")
        table.row("  before: the same day, one refunds query per paid order", year.oldDayListing.inMilliseconds, unit: "ms")
        table.row("  before: a search by number, loading every order ever", year.oldSearch.inMilliseconds, unit: "ms")
        table.note("year ledger: resident memory \(Table.format(year.idleRSS)) MB after paging, \(Table.format(year.afterSearchRSS)) MB after the searches (+\(Table.format(year.afterSearchRSS - year.idleRSS)) MB)")
        print(table.rendered)
    }
}

/// Why a measurement could not be made; says what to check, never a secret.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
