import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `shroff sandbox`: serves the Wantu simulator, tells the tester where and with which
/// credentials, stops cleanly, and refuses a port that is taken.
@Suite("shroff sandbox", .timeLimit(.minutes(1)))
struct SandboxCommandTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("SIGTERM stops it with exit 0, after it printed its URL and the training credentials")
    func stopsCleanly() async throws {
        let sandbox = try await ExternalSandbox.start(in: till)

        let run = try await sandbox.stop()

        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdout.contains("Sandbox serving at http://127.0.0.1:\(sandbox.port)\n"), "\(run)")
        #expect(run.stdout.contains("[providers.wantu] base_url = \"http://127.0.0.1:\(sandbox.port)/paygate\""), "\(run)")
        #expect(run.stdout.contains("merchant_account = \"HKG0000000001\""), "\(run)")
        #expect(run.stdout.contains("key = \"\(TillHome.trainingKey)\""), "\(run)")
    }

    @Test("while it serves, its address is already on standard output (a script reading a pipe learns the port)")
    func announcesWhileServing() async throws {
        try await till.withExternalSandbox { sandbox in
            // The server answers health checks, so the banner has been printed; give the pipe a moment.
            var announced = false
            for _ in 1...40 where !announced {
                announced = sandbox.process.stdout.contains("serving at http://127.0.0.1:\(sandbox.port)")
                if !announced { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(announced, "nothing on standard output yet (it is buffered until exit): \(sandbox.process.stdout.debugDescription)")
        }
    }

    @Test("a port already taken: exit 1, saying it could not serve there")
    func portTaken() async throws {
        try await till.withExternalSandbox { sandbox in
            let run = try await till.run(["sandbox", "--port", "\(sandbox.port)"], timeout: .seconds(10))

            #expect(run.exitCode == 1, "\(run)")
            #expect(run.stderr.contains("could not serve on 127.0.0.1:\(sandbox.port)"), "\(run)")
        }
    }
}
