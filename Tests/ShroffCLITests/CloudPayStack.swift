import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CloudPay till's processes: `shroff sandbox` posting to `shroff notify-server`, both on
/// free loopback ports, and the configuration (mode 600) that ties them to one ledger.
extension TillHome {
    /// The CloudPay simulator's public training credentials.
    static let cloudPayAppKey = "098f6bcd4621d373cade4e832627b4f6"
    static let cloudPaySecret = "cloudpay-training-secret"

    static func cloudPayConfig(sandboxPort: Int, notifyPort: Int, checkout: String, notify: Bool = true) -> String {
        """
        [store]
        name = "CLI Test Store"
        currency = "CNY"
        timezone = "Asia/Shanghai"
        ledger = "ledger.sqlite"

        [checkout]
        provider = "cloudpay"
        \(checkout)

        [providers.cloudpay]
        base_url = "http://127.0.0.1:\(sandboxPort)/cloudpay"
        appkey = "\(cloudPayAppKey)"
        appsecret = "\(cloudPaySecret)"
        types = ["alipay", "wechat"]
        """ + (notify ? "\n\n[notify]\nlisten = \"127.0.0.1:\(notifyPort)\"\nmetrics = \"127.0.0.1:0\"\n" : "\n")
    }

    /// A sandbox posting to a notify server on `notifyPort`, which is started (when `serve`)
    /// with the configuration; `body` gets the sandbox, the configuration's path and the server.
    func withCloudPay(checkout: String, notify: Bool = true, serve: Bool = true,
                      _ body: (ExternalSandbox, String, ShroffProcess?) async throws -> Void) async throws {
        let notifyPort = try LoopbackHTTP.freePort()
        let sandbox = try await ExternalSandbox.start(in: self, arguments: ["--notify-server", "http://127.0.0.1:\(notifyPort)"])
        var server: ShroffProcess?
        do {
            let config = try write("store/config.toml", Self.cloudPayConfig(sandboxPort: sandbox.port, notifyPort: notifyPort,
                                                                          checkout: checkout, notify: notify))
            if serve {
                let process = try start(["notify-server", "--config", config])
                server = process
                try await process.waitForStderr(containing: "Receiving notifications at http://127.0.0.1:\(notifyPort)/notify/", within: .seconds(30))
            }
            try await body(sandbox, config, server)
        } catch {
            server?.send(SIGTERM)
            _ = try? await server?.finish(within: .seconds(20))
            _ = try? await sandbox.stop()
            throw error
        }
        server?.send(SIGTERM)
        _ = try await server?.finish(within: .seconds(20))
        try await sandbox.stop()
    }
}
