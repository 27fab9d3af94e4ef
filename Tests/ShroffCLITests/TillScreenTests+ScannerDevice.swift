import Foundation
import ScannerDevice
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The writing end of a FIFO the till reads as `[scanner] device`: a recorded scanner.
/// Opened only once the screen shows the till has its reading end open, so it never waits.
private final class RecordedScanner {
    let descriptor: Int32

    init(_ path: String) throws {
        descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TmuxTill.Failure(description: "the till does not have \(path) open for reading (errno \(errno))")
        }
    }

    /// Writes key events as `struct input_event` records.
    func send(_ events: [InputEvent]) throws {
        let bytes = events.flatMap(\.record)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw TmuxTill.Failure(description: "wrote \(written) of \(bytes.count) bytes to the scanner FIFO") }
    }

    /// Unplugs: the till reads end of file.
    func close() { _ = Glibc.close(descriptor) }
}

extension TillScreenTests {
    /// A second WeChat code, so the reconnected scan is not taken for the first one's echo.
    static let secondCode = "141234567890123456"

    @Test("[scanner] device: a scan from the device pays while keys typed meanwhile stay in the amount; a burst typed in the terminal never pays; unplugged → \"Scanner disconnected\", plugged back → scans again")
    func scannerDevice() async throws {
        let fifo = till.root + "/scanner.fifo"
        try await till.withExternalSandbox { sandbox in
            #expect(mkfifo(fifo, 0o600) == 0)
            let config = try till.write("store/config.toml", TillHome.gatewayConfig(port: sandbox.port, checkout: TillHome.shortTimeouts)
                                        + "\n\n[scanner]\ndevice = \"\(fifo)\"\n")
            try await till.withTmuxTill(arguments: ["--config", config]) { tmux in
                // The till opened the FIFO and says it cannot grab it (a FIFO is not an evdev device).
                try await tmux.waitFor("New sale", "not for the till alone", within: .seconds(10))
                let scanner = try RecordedScanner(fifo)

                try tmux.type("12")
                try await tmux.waitFor("HKD 12")
                // Half the scan from the device, a key in the terminal, then the rest of the scan.
                let events = InputEvent.typing(TillHome.wechatCode)
                try scanner.send(Array(events.prefix(events.count / 2)))
                try tmux.type("3")
                try await tmux.waitFor("HKD 123")
                try scanner.send(Array(events.dropFirst(events.count / 2)))
                let paid = try await tmux.waitFor("PAID", "Amount: HKD 123.00")
                #expect(!paid.contains(TillHome.wechatCode), "the full payment code was on screen:\n\(paid)")
                try tmux.press("Enter")
                try await tmux.waitFor("New sale")

                // A keyboard-wedge burst in the terminal is typing now: digits in the amount, no payment.
                try await tmux.scan(TillScreenTests.secondCode)
                try tmux.press("c")
                let cleared = try await tmux.waitFor("New sale", "HKD 0")
                #expect(!cleared.contains("Waiting for payment"), "\(cleared)")

                // Unplugged: the node goes, then the device closes.
                #expect(unlink(fifo) == 0)
                scanner.close()
                try await tmux.waitFor("Scanner disconnected")
                try tmux.type("5")
                try await tmux.waitFor("HKD 5", "Scanner disconnected")

                // Plugged back in: picked up without a restart, and its scans pay.
                #expect(mkfifo(fifo, 0o600) == 0)
                try await tmux.waitFor("Scanner connected again")
                let again = try RecordedScanner(fifo)
                try again.send(InputEvent.typing(TillScreenTests.secondCode))
                let second = try await tmux.waitFor("PAID", "Amount: HKD 5.00")
                #expect(!second.contains(TillScreenTests.secondCode), "the full payment code was on screen:\n\(second)")
                again.close()
                try await quit(tmux)
            }
            let orders = try await till.run(["orders", "--json", "--config", config])
            let listed = try #require(try orders.json()[objects: "orders"])
            #expect(listed.count == 2, "a typed burst became an order, or a scan was lost:\n\(orders)")
            #expect(listed.allSatisfy { $0[string: "status"] == "paid" }, "\(orders)")
            #expect(!orders.stdout.contains(TillHome.wechatCode) && !orders.stdout.contains(TillScreenTests.secondCode), "\(orders)")
        }
    }
}
