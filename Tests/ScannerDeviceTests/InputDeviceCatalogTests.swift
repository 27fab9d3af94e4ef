import Foundation
@testable import ScannerDevice
import Testing

/// `shroff scanners`' reading of /proc/bus/input/devices.
@Suite("Finding the scanner among the input devices")
struct InputDeviceCatalogTests {
    static let devices = """
        I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
        N: Name="AT Translated Set 2 keyboard"
        P: Phys=isa0060/serio0/input0
        H: Handlers=sysrq kbd event0 leds
        B: EV=120013

        I: Bus=0003 Vendor=046d Product=c077 Version=0111
        N: Name="Logitech USB Optical Mouse"
        H: Handlers=mouse0 event1
        B: EV=17

        I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111
        N: Name="Honeywell Imaging & Mobility 1900"
        H: Handlers=sysrq kbd leds event5
        B: EV=120013

        """

    @Test("keyboards and scanners are listed with their event nodes; a mouse is not")
    func parse() {
        let parsed = InputDeviceCatalog.parse(Self.devices)
        #expect(parsed.map(\.event) == ["event0", "event5"])
        #expect(parsed.last?.vendor == "0c2e")
        #expect(parsed.map { InputDeviceCatalog.looksLikeScanner($0.name) } == [false, true])
    }

    @Test("listed from a machine's files: the scanner first, with its /dev/input/by-id path and whether it may be read")
    func list() throws {
        let root = FileManager.default.temporaryDirectory.path + "/shroff-devices-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = FileManager.default
        try files.createDirectory(atPath: root + "/proc/bus/input", withIntermediateDirectories: true)
        try files.createDirectory(atPath: root + "/dev/input/by-id", withIntermediateDirectories: true)
        try Data(Self.devices.utf8).write(to: URL(fileURLWithPath: root + "/proc/bus/input/devices"))
        #expect(files.createFile(atPath: root + "/dev/input/event5", contents: nil))
        let link = "usb-Honeywell_Imaging___Mobility_1900_19123B4A23-event-kbd"
        try files.createSymbolicLink(atPath: root + "/dev/input/by-id/" + link, withDestinationPath: "../event5")
        try files.createSymbolicLink(atPath: root + "/dev/input/by-id/usb-Honeywell_Imaging___Mobility_1900_19123B4A23-if01-event-kbd",
                                     withDestinationPath: "../event9")

        let listed = InputDeviceCatalog.list(root: root)
        #expect(listed.map(\.node) == ["/dev/input/event5", "/dev/input/event0"])
        let scanner = try #require(listed.first)
        #expect(scanner.looksLikeScanner)
        #expect(scanner.stablePath == "/dev/input/by-id/" + link)
        #expect(scanner.readable)
        #expect(scanner.kind == .keyboard)
        // event0 has no node under this root: not readable, no stable path.
        #expect(listed.last?.readable == false)
        #expect(listed.last?.stablePath == nil)
    }

    @Test("a machine without input devices lists none, without failing")
    func empty() {
        #expect(InputDeviceCatalog.list(root: "/nonexistent-\(UUID().uuidString)").isEmpty)
    }

    @Test("a report descriptor with usage page 0x8C and report ID 2 is a HID POS scanner; a keyboard's is not")
    func descriptor() {
        // Usage Page (0x8C), Usage (Bar Code Scanner), Collection, Report ID (2)…
        #expect(HIDPOSReport.describesScanner([0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0x09, 0x12, 0xC0]))
        // Usage Page (Generic Desktop), Usage (Keyboard), Collection, Usage Page (Keyboard)
        #expect(!HIDPOSReport.describesScanner([0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0xC0]))
    }
}
