import Foundation
import Testing

/// A private temporary directory with a fake home, removed when the test is done.
final class ConfigFixture {
    /// A key no string shown to a person may ever contain.
    static let secretKey = "wk_live_7Qm2vX9pL4sT8nR1zY6c"

    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.path + "/shroff-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    var home: String { root + "/home" }

    /// Only `HOME` and the key's variable: no XDG variables unless a test adds them.
    var environment: [String: String] {
        ["HOME": home, "SHROFF_WANTU_KEY": ConfigFixture.secretKey]
    }

    /// Writes `text` to `relativePath` under the root, with `mode` permissions; returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = root + "/" + relativePath
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try chmod(path, mode)
        return path
    }

    func chmod(_ path: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
    }

    /// A complete configuration a shop would write.
    static let validConfig = """
        # Shroff at the Lucky Tea House
        [store]
        name = "Lucky Tea House"
        currency = "HKD"
        timezone = "Asia/Hong_Kong"
        ledger = "~/shop/ledger.sqlite"

        [checkout]
        provider = "wantu"
        poll_interval_s = 3
        pay_timeout_s = 40
        qr_timeout_s = 120
        request_timeout_s = 10

        [providers.wantu]
        base_url = "https://sandbox-merchants.wantu.cn/paygate"
        merchant_account = "M-10001"
        store_account = "S-20002"
        key_env = "SHROFF_WANTU_KEY"
        notify_url = "https://tea.example.com/wantu/notify"
        device_sn = "POS-7"
        """

    /// The valid configuration with one piece of text replaced; fails the test if the piece is absent.
    static func config(replacing target: String, with replacement: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(validConfig.contains(target), "fixture has no \(target)", sourceLocation: sourceLocation)
        return validConfig.replacingOccurrences(of: target, with: replacement)
    }

    /// 1-based line of the first line containing `text`.
    static func line(of text: String, in config: String) -> Int? {
        config.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains(text) }.map { $0 + 1 }
    }
}
