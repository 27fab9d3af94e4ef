import CheckoutCore
import Foundation
import ScannerDevice
import Testing
@testable import TerminalUI

/// The screen's side of `[scanner] device`: a lost scanner stays on screen while the keyboard
/// keeps working, and its return is said once.
@Suite("Model: the scanner as a device of its own")
struct ModelScannerTests {
    static let lost = TillApp.tillEvent(for: .unavailable(.disconnected("/dev/input/by-id/usb-scanner-event-kbd")))

    @Test("unplugged: \"Scanner disconnected\" stays on screen through typing; the amount is still keyed")
    func disconnectedStays() {
        var state = Fixture.state()
        _ = state.handle(Self.lost)
        #expect(Fixture.screen(state).contains("Scanner disconnected"))
        Fixture.type("12.30", into: &state)
        let screen = Fixture.screen(state)
        #expect(screen.contains("Scanner disconnected"), "\(screen)")
        #expect(screen.contains("HKD 12.30"), "\(screen)")
    }

    @Test("back again: said once, and the problem line goes")
    func reconnected() {
        var state = Fixture.state()
        _ = state.handle(Self.lost)
        _ = state.handle(TillApp.tillEvent(for: .connected(exclusive: true, grabRefusal: nil)))
        let screen = Fixture.screen(state)
        #expect(screen.contains("Scanner connected again"), "\(screen)")
        #expect(!screen.contains("Scanner disconnected"), "\(screen)")
        #expect(state.scannerProblem == nil)
    }

    @Test("a first connection that is exclusive says nothing; one that is not says why")
    func firstConnection() {
        var state = Fixture.state()
        _ = state.handle(TillApp.tillEvent(for: .connected(exclusive: true, grabRefusal: nil)))
        #expect(state.message == nil)
        _ = state.handle(TillApp.tillEvent(for: .connected(exclusive: false, grabRefusal: "/tmp/fifo is not an evdev device")))
        #expect(state.message?.kind == .warning)
        #expect(state.message?.text.contains("not for the till alone") == true)
    }

    @Test("a scan from the device pays like a detected scan; the code is only shown masked")
    func scanPays() {
        var state = Fixture.state()
        Fixture.type("12.30", into: &state)
        let commands = state.handle(TillApp.tillEvent(for: .scan(Fixture.wechatCode)))
        #expect(commands.count == 1)
        guard case .payByCode(let amount, let code, _) = commands.first else {
            Issue.record("\(commands)")
            return
        }
        #expect(amount == Fixture.hkd(1230))
        #expect(code.masked == "1345**********6789")
        #expect(!Fixture.screen(state).contains(Fixture.wechatCode))
    }

    @Test("a refused report is a warning that does not quote data; a missing device names `shroff scanners`")
    func refusedAndMissing() {
        var state = Fixture.state()
        _ = state.handle(TillApp.tillEvent(for: .refused("HID POS report ID 4 is not the Scanned Data Report (ID 2)")))
        #expect(state.message?.kind == .warning)
        _ = state.handle(TillApp.tillEvent(for: .unavailable(.missing("/dev/hidraw3"))))
        #expect(state.scannerProblem?.contains("Scanner not available") == true)
        #expect(state.scannerProblem?.contains("shroff scanners") == true)
    }
}
