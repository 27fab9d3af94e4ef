import Foundation
import ScannerDevice
import Testing

/// HID POS Scanned Data Reports (usage page 0x8C), recorded in the layout of the public HID
/// POS usage tables, read from a file as from /dev/hidrawN.
@Suite("HID POS reports from a file")
struct HIDPOSReportTests {
    /// One 64-byte report per line, in hex, as a scanner in HID POS mode sends them:
    /// ID 2, length, AIM symbology "]Q1" / "]E0", data, padding, continued flag (byte 63).
    static let recording: [String] = [
        // A WeChat Pay code, 18 digits, QR symbology.
        "02 12 5d 51 31 31 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39" + String(repeating: " 00", count: 41),
        // An Alipay code with the scanner's CR suffix, 18 digits + CR.
        "02 13 5d 51 31 32 38 37 36 35 34 33 32 31 30 39 38 37 36 35 34 33 32 0d" + String(repeating: " 00", count: 40),
        // A symbol continued in the next report: refused.
        "02 38 5d 51 31" + String(repeating: " 31", count: 56) + " 00 00 01",
        // A status report (ID 4): not the layout read.
        "04 01" + String(repeating: " 00", count: 62),
    ]

    static func bytes(_ line: String) -> [UInt8] { line.split(separator: " ").map { UInt8($0, radix: 16)! } }

    @Test("each recorded report is 64 bytes")
    func recordingIsWellFormed() {
        for line in Self.recording { #expect(Self.bytes(line).count == 64, "\(line)") }
    }

    @Test("decoded one report at a time: the whole symbol, the CR suffix dropped; others refused, never quoting the data")
    func decode() {
        let readings = Self.recording.map { HIDPOSReport.decode(Self.bytes($0)) }
        #expect(readings[0] == .symbol("134567890123456789"))
        #expect(readings[1] == .symbol("287654321098765432"))
        guard case .refused(let continued) = readings[2], case .refused(let status) = readings[3] else {
            Issue.record("\(readings)")
            return
        }
        #expect(continued.contains("several HID POS reports"))
        #expect(status.contains("report ID 4"))
        #expect(!continued.contains("1111"))
        #expect(HIDPOSReport.decode(Array(Self.bytes(Self.recording[0]).prefix(32))) != .symbol("134567890123456789"))
    }

    @Test("the same reports fed through a file opened as the scanner's device")
    func throughAFile() throws {
        let path = FileManager.default.temporaryDirectory.path + "/shroff-hidpos-\(UUID().uuidString).bin"
        try Data(Self.recording.flatMap(Self.bytes)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let port = try ScannerPort(path: path, kind: .hidPOS, grab: true)
        var readings: [ScannerPort.Reading] = []
        do {
            while true { readings += try port.read(timeout: .seconds(1)) }
        } catch {
            #expect(error == .disconnected(path))
        }
        #expect(readings.count == 4)
        #expect(readings.prefix(2) == [.scan("134567890123456789"), .scan("287654321098765432")])
    }

    @Test("through ScannerWatch, as the till reads it: each symbol once, the refusals said, the end of the recording not replayed")
    func throughTheWatch() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/shroff-hidpos-\(UUID().uuidString).bin"
        try Data(Self.recording.flatMap(Self.bytes)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (stream, continuation) = AsyncStream<ScannerEvent>.makeStream()
        let watch = ScannerWatch(path: path, kind: .hidPOS, grab: true, retryInterval: .milliseconds(20)) { continuation.yield($0) }
        watch.start()
        var events: [ScannerEvent] = []
        var iterator = stream.makeAsyncIterator()
        while let event = await iterator.next() {
            events.append(event)
            if case .unavailable = event { break }
        }
        // A replaying reader would reopen the file at once and post again before stop() returns.
        watch.stop()
        continuation.finish()
        while let late = await iterator.next() { events.append(late) }
        #expect(events.count == 6, "\(events.count) events from a recording of 4 reports: it was replayed")
        #expect(events.first == .connected(exclusive: false, grabRefusal: nil))
        let scans = events.filter { if case .scan = $0 { true } else { false } }
        #expect(Array(scans.prefix(3)) == [.scan("134567890123456789"), .scan("287654321098765432")])
        #expect(events.filter { if case .refused = $0 { true } else { false } }.count == 2)
        #expect(events.last == .unavailable(.disconnected(path)))
    }

    @Test("an encoded report decodes to its text; one longer than a report cannot be encoded")
    func encode() throws {
        let report = try #require(HIDPOSReport.encode("ABC-123"))
        #expect(HIDPOSReport.decode(report) == .symbol("ABC-123"))
        #expect(HIDPOSReport.encode(String(repeating: "1", count: 57)) == nil)
    }
}
