import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

/// `shroff notify-server` without a shop's configuration: a training receiver believes anything
/// signed with the sandbox's published keys, so it starts only when asked for by name.
@Suite("notify-server without a configuration file", .timeLimit(.minutes(1)))
struct NotifyServerCommandTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("refuses to start, saying why and how to start it, and listens on nothing")
    func refusesWithoutConfiguration() async throws {
        let port = try LoopbackHTTP.freePort()

        let run = try await till.run(["notify-server", "--listen", "127.0.0.1:\(port)"], timeout: .seconds(15))

        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("training mode"), "\(run)")
        #expect(run.stderr.contains("published training keys, which anyone can make"), "\(run)")
        #expect(run.stderr.contains("--config FILE") && run.stderr.contains("--training"), "\(run)")
        #expect(!run.stderr.contains("Receiving notifications"), "\(run)")
        #expect((try? LoopbackHTTP.request("GET", port: port, path: "/healthz")) == nil, "something answers on port \(port)")
    }

    @Test("with --training it receives the training gateways' notifications, and its health check names no path")
    func startsWithTraining() async throws {
        let port = try LoopbackHTTP.freePort()
        let process = try till.start(["notify-server", "--training", "--listen", "127.0.0.1:\(port)"])

        try await process.waitForStderr(containing: "Receiving notifications at http://127.0.0.1:\(port)/notify/", within: .seconds(30))
        let (status, body) = try LoopbackHTTP.request("GET", port: port, path: "/healthz")
        #expect(status == 200)
        let health = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
        #expect((health["gateways"] as? [String])?.contains("wantu") == true, "\(body)")
        #expect(health["ledger_id"] is String, "\(body)")
        #expect(!body.contains(till.root), "the health check names a path: \(body)")

        process.send(SIGTERM)
        let run = try await process.finish(within: .seconds(20))
        #expect(run.exitCode == 0, "\(run)")
    }
}
