import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `shroff sandbox --port N` running as its own process, the way a trainer or tester starts it,
/// for tills configured with `base_url = "http://127.0.0.1:N/paygate"`.
///
/// Each test that needs one starts its own: it is up in well under a second, its orders are
/// only that test's (so `reconcile` compares one ledger with one gateway), and it is stopped
/// when the test's body returns or throws.
final class ExternalSandbox: Sendable {
    let port: Int
    let process: ShroffProcess

    private init(port: Int, process: ShroffProcess) {
        self.port = port
        self.process = process
    }

    struct DidNotStart: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the sandbox on a free port and returns once it has said it serves there and
    /// `GET /sandbox/health` answers 200.
    /// A port taken between choosing and binding it makes the sandbox exit: another is tried.
    static func start(in till: TillHome, arguments: [String] = [], environment: [String: String] = [:]) async throws -> ExternalSandbox {
        var lastRun: ShroffRun?
        for _ in 1...3 {
            let port = try LoopbackHTTP.freePort()
            let process = try till.start(["sandbox", "--port", "\(port)"] + arguments, environment: environment)
            // Waiting for a server to start listening, not for a payment: a bounded number of tries.
            for _ in 1...200 {
                // Its own banner first: another test's server may have taken the port meanwhile
                // and would answer the health check in its place.
                if process.stdout.contains("serving at http://127.0.0.1:\(port)\n"),
                   let (status, _) = try? LoopbackHTTP.request("GET", port: port, path: "/sandbox/health"), status == 200,
                   process.isRunning {
                    return ExternalSandbox(port: port, process: process)
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            process.send(SIGKILL)
            lastRun = try await process.finish(within: .seconds(20))
        }
        throw DidNotStart(description: "shroff sandbox did not answer GET /sandbox/health:\n\(lastRun.map(String.init(describing:)) ?? "")")
    }

    /// A customer pays the QR order `order` on the phone; returns the HTTP status (200 when paid).
    func customerPays(_ order: String) throws -> Int {
        try LoopbackHTTP.request("POST", port: port, path: "/sandbox/pay/\(order)").status
    }

    /// Waits until the sandbox has carried out a request to `endpoint` ("pospay") for `order`,
    /// as its request log (on standard error) says: only then did the payment reach the gateway.
    func waitUntilReceived(_ endpoint: String, for order: String) async throws {
        try await process.waitForStderrLine(containing: ["out_trade_no=\(order)", "path=/paygate/\(endpoint)"])
    }

    /// Stops it as Ctrl-C or a service manager would (SIGTERM) and returns how it ended.
    @discardableResult
    func stop() async throws -> ShroffRun {
        process.send(SIGTERM)
        return try await process.finish(within: .seconds(20))
    }
}

extension TillHome {
    /// Runs `body` with a sandbox of its own, stopped afterwards whatever happens.
    func withExternalSandbox<T>(environment: [String: String] = [:], _ body: (ExternalSandbox) async throws -> T) async throws -> T {
        let sandbox = try await ExternalSandbox.start(in: self, environment: environment)
        let result: T
        do {
            result = try await body(sandbox)
        } catch {
            _ = try? await sandbox.stop()
            throw error
        }
        try await sandbox.stop()
        return result
    }

    /// Writes a configuration (mode 600) for `sandbox` at `store/config.toml`; returns its path.
    /// The ledger is `store/ledger.sqlite`.
    func writeGatewayConfig(for sandbox: ExternalSandbox, checkout: String = TillHome.shortTimeouts) throws -> String {
        try write("store/config.toml", TillHome.gatewayConfig(port: sandbox.port, checkout: checkout))
    }
}
