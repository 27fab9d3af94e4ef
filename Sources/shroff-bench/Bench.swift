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
        table.row("notification committed → waiting till returns paid", try await notificationToTill(in: folder, runs: watchRuns), unit: "ms")
        print(table.rendered)
    }
}

/// Why a measurement could not be made; says what to check, never a secret.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
