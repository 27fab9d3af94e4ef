import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Slow clients against the real `shroff notify-server` process: 200 connections that send a
/// notification's head and stall must not keep the gateway's real notification waiting.
@Suite("Notify server process: stalled clients", .timeLimit(.minutes(2)))
struct NotifyServerStallProcessTests {
    let till: TillHome

    init() throws {
        till = try TillHome()
    }

    @Test("200 stalled clients hold no place: the sandbox's notification is handled on its first delivery")
    func stalledClientsDoNotStarveANotification() async throws {
        try await till.withExternalSandbox { sandbox in
            // ..11: every query answers SYSTEM_ERROR, so only the notification can end the order.
            let checkout = "poll_interval_s = 20\nrequest_timeout_s = 5\nqr_timeout_s = 100"
            try await till.withNotifyServer(for: sandbox, checkout: checkout) { notify in
                let qr = try till.start(["qr", "--amount", "12.11", "--config", notify.config])
                let order = try await qr.waitForStderr(capturing: #"Order (S[0-9A-Z]+) recorded\."#, within: .seconds(30))
                try await qr.waitForStderr(containing: "Waiting:", within: .seconds(30))

                // 200 clients each send a notification's head and 1 byte of its 300-byte body, then stall:
                // more than `max_concurrent` (32) places, held until the server's read timeout.
                var stalled: [Int32] = []
                defer { for fd in stalled { close(fd) } }
                let head = Array("POST /notify/wantu HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{".utf8)
                for _ in 0..<200 {
                    let fd = try LoopbackSocket.connected(port: notify.port, timeout: .seconds(15))
                    stalled.append(fd)
                    let sent = head.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    try #require(sent == head.count, "a stalled client could not send its head")
                }

                #expect(try sandbox.customerPays(order) == 200)
                let run = try await qr.finish(within: .seconds(60))
                #expect(run.exitCode == 0, "\(run)")
                #expect(run.stdout.contains("PAID"), "\(run)")
                try await sandbox.process.waitForStderrLine(containing: ["sandbox notification delivered", "order=\(order)"],
                                                            within: .seconds(30))
                // Delivered at the first try: never turned away as busy while the stalled clients held on.
                let refused = sandbox.logLines(containing: ["sandbox notification refused", "order=\(order)"])
                #expect(refused.isEmpty, "the notification was turned away:\n\(refused.joined(separator: "\n"))")
                let first = sandbox.logLines(containing: ["sandbox notification delivered", "order=\(order)", "try=1"])
                #expect(first.count == 1, "sandbox log:\n\(sandbox.process.stderr)")
                let handled = notify.logLines(containing: ["notification handled", "order=\(order)"])
                #expect(handled.count == 1, "notify-server log:\n\(notify.process.stderr)")
            }
        }
    }
}
