import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `shroff notify-server --listen 127.0.0.1:PORT --config PATH` running as its own process,
/// beside an `ExternalSandbox`: the configuration it reads points the till at the sandbox and
/// gives the sandbox this server as its `notify_url`, so every process started with the same
/// `--config` shares its ledger and has its paid orders announced here.
final class NotifyServerProcess: Sendable {
    let port: Int
    let process: ShroffProcess
    /// The configuration file (mode 600) it was started with; tills use the same one.
    let config: String

    private init(port: Int, process: ShroffProcess, config: String) {
        self.port = port
        self.process = process
        self.config = config
    }

    /// Where the sandbox posts Wantu's notifications.
    var notifyURL: String { "http://127.0.0.1:\(port)/notify/wantu" }

    /// `TillHome.gatewayConfig` for the sandbox on `sandboxPort`, whose `notify_url` is this
    /// machine's receiver on `notifyPort`. The ledger is `ledger.sqlite` beside the file.
    static func config(sandboxPort: Int, notifyPort: Int, checkout: String) -> String {
        TillHome.gatewayConfig(port: sandboxPort, checkout: checkout, notifyURL: "http://127.0.0.1:\(notifyPort)/notify/wantu")
    }

    /// Writes the configuration at `store/config.toml` and starts the receiver on a free port;
    /// returns once it has said it is listening and `GET /healthz` answers 200. A port taken
    /// between choosing and binding it makes the server exit: another is tried, and the
    /// configuration rewritten with it.
    /// `configuration`, when given, writes the file instead, for the receiver's port (another gateway's table).
    static func start(in till: TillHome, sandbox: ExternalSandbox, checkout: String,
                      configuration: ((_ notifyPort: Int) -> String)? = nil) async throws -> NotifyServerProcess {
        try await start(in: till) { port in
            configuration?(port) ?? Self.config(sandboxPort: sandbox.port, notifyPort: port, checkout: checkout)
        }
    }
    /// Starts the receiver with the configuration `configuration(port)` makes for the port it
    /// listens on: a free one, or `fixedPort` (a gateway that was told its address beforehand).
    static func start(in till: TillHome, fixedPort: Int? = nil, configuration: (Int) -> String) async throws -> NotifyServerProcess {
        var lastRun: ShroffRun?
        for _ in 1...(fixedPort == nil ? 3 : 1) {
            let port = try fixedPort ?? LoopbackHTTP.freePort()
            let config = try till.write("store/config.toml", configuration(port))
            let process = try till.start(["notify-server", "--listen", "127.0.0.1:\(port)", "--config", config])
            do {
                try await process.waitForStderr(containing: "Receiving notifications at http://127.0.0.1:\(port)/notify/", within: .seconds(30))
            } catch let failure as ShroffFailedToShow {
                lastRun = failure.run
                continue
            }
            // Waiting for a server to answer, not for a payment: a bounded number of tries.
            for _ in 1...200 {
                if let (status, _) = try? LoopbackHTTP.request("GET", port: port, path: "/healthz"), status == 200 {
                    return NotifyServerProcess(port: port, process: process, config: config)
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            process.send(SIGKILL)
            lastRun = try await process.finish(within: .seconds(20))
        }
        throw ExternalSandbox.DidNotStart(
            description: "shroff notify-server did not start listening:\n\(lastRun.map(String.init(describing:)) ?? "")")
    }

    /// Lines of its standard error (its log) that hold every one of `texts`.
    func logLines(containing texts: [String]) -> [Substring] {
        process.stderr.split(separator: "\n").filter { line in texts.allSatisfy(line.contains) }
    }

    /// Stops it as a service manager would (SIGTERM) and returns how it ended.
    @discardableResult
    func stop() async throws -> ShroffRun {
        process.send(SIGTERM)
        return try await process.finish(within: .seconds(20))
    }
}

extension ExternalSandbox {
    /// Lines of the sandbox's standard error (its request log) that hold every one of `texts`.
    func logLines(containing texts: [String]) -> [Substring] {
        process.stderr.split(separator: "\n").filter { line in texts.allSatisfy(line.contains) }
    }
}

extension TillHome {
    /// Runs `body` with a notification receiver for `sandbox`, stopped afterwards whatever happens.
    func withNotifyServer<T>(for sandbox: ExternalSandbox, checkout: String, configuration: ((_ notifyPort: Int) -> String)? = nil,
                             _ body: (NotifyServerProcess) async throws -> T) async throws -> T {
        let server = try await NotifyServerProcess.start(in: self, sandbox: sandbox, checkout: checkout, configuration: configuration)
        let result: T
        do {
            result = try await body(server)
        } catch {
            _ = try? await server.stop()
            throw error
        }
        try await server.stop()
        return result
    }
}
