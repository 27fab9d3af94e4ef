import Foundation
import TestSupport
import Synchronization

/// A till of its own for one test: a temporary HOME, XDG_CONFIG_HOME and XDG_DATA_HOME, so
/// no test touches the user's files or another test's ledger. Removed when the test is done.
final class TillHome: Sendable {
    /// A WeChat Pay code as a scanner reads it (18 digits, prefix 13). Only its masked form may ever be shown.
    static let wechatCode = "134567890123456789"
    static let maskedWechatCode = "1345**********6789"
    /// The sandbox's published training key (`SandboxAccount.training`).
    static let trainingKey = "shroff-training-key"

    let root: String
    private let runs = Atomic<Int>(0)

    init() throws {
        _ = try ShroffBinary.url()  // fail at once, with the message saying to build
        root = FileManager.default.temporaryDirectory.path + "/shroff-cli-tests-" + UUID().uuidString
        for directory in [home, configHome, dataHome, root + "/runs"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    var home: String { root + "/home" }
    var configHome: String { root + "/config" }
    var dataHome: String { root + "/data" }
    /// Where training mode keeps its ledger.
    var trainingLedger: String { dataHome + "/shroff/training-ledger.sqlite" }

    /// The child's whole environment: nothing of the user's (no $SHROFF_CONFIG) leaks in.
    var environment: [String: String] {
        var environment = ["HOME": home, "XDG_CONFIG_HOME": configHome, "XDG_DATA_HOME": dataHome, "LANG": "C.UTF-8"]
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        return environment
    }

    /// Starts `shroff arguments…` and returns at once; `input` is its standard input (else empty).
    func start(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) throws -> ShroffProcess {
        let number = runs.add(1, ordering: .relaxed).newValue
        let name = arguments.first.map { $0.filter(\.isLetter) } ?? "info"
        return try ShroffProcess(arguments, environment: environment.merging(extra) { _, new in new },
                                 outputPrefix: "\(root)/runs/\(number)-\(name)", input: input)
    }

    /// Runs `shroff arguments…` to the end (killed, and failing, after `timeout`).
    func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil,
             timeout: Duration = .seconds(20)) async throws -> ShroffRun {
        try await start(arguments, environment: extra, input: input).finish(within: timeout)
    }

    /// Writes `text` under the test's root with `mode` permissions; returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = root + "/" + relativePath
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
        return path
    }

    /// A configuration for a store using the Wantu sandbox on `port` with the training key,
    /// its ledger beside the file. `checkout` is the body of the `[checkout]` table; `notifyURL`
    /// is where the gateway is told to post its notifications.
    static func gatewayConfig(port: Int, checkout: String = "", key: String = TillHome.trainingKey,
                              notifyURL: String = "http://127.0.0.1/notify") -> String {
        """
        [store]
        name = "CLI Test Store"
        currency = "HKD"
        timezone = "Asia/Hong_Kong"
        ledger = "ledger.sqlite"

        [checkout]
        \(checkout)

        [providers.wantu]
        base_url = "http://127.0.0.1:\(port)/paygate"
        merchant_account = "HKG0000000001"
        store_account = "HKG0000000002"
        notify_url = "\(notifyURL)"
        key = "\(key)"
        """
    }

    /// Short waits, so a pending payment resolves in seconds: query every 1 s, give up after 2 s.
    static let shortTimeouts = """
        poll_interval_s = 1
        pay_timeout_s = 2
        request_timeout_s = 1
        qr_timeout_s = 2
        """

    /// Every file the till wrote (ledger, lock, configuration; not the captured output), decoded
    /// leniently: for checks that a secret was never written down.
    func storedText() -> String {
        var text = ""
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return text }
        for case let relative as String in enumerator where !relative.hasPrefix("runs") {
            if let data = FileManager.default.contents(atPath: root + "/" + relative) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }
}

/// The store's calendar day of an ISO 8601 instant printed by shroff ("2026-11-22T03:25:13Z"),
/// for `--date` and `--from`: the test asks about the day the order was made, even at midnight.
func storeDay(of isoInstant: String, timeZone: String = "Asia/Hong_Kong") -> String? {
    guard let instant = ISO8601DateFormatter().date(from: isoInstant), let zone = TimeZone(identifier: timeZone) else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let day = calendar.dateComponents([.year, .month, .day], from: instant)
    return String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
}
