/// The one HID POS report layout Shroff reads: the bar code scanner's Scanned Data Report
/// (HID Point of Sale Usage Tables, usage page 0x8C, usage 0x12), as Honeywell, Zebra and
/// Datalogic scanners send it in "HID POS" mode:
///
/// | bytes | usage | meaning |
/// |---|---|---|
/// | 0 | | report ID 2 |
/// | 1 | | N, the number of decoded data bytes (1–56) |
/// | 2–4 | 0xFB–0xFD | symbology identifier 1–3 (e.g. AIM "]Q1"); not used |
/// | 5…5+N−1 | 0xFE Decoded Data | the symbol, ASCII |
/// | 5+N…62 | | padding, vendor bytes |
/// | 63 | 0xFF Decode Data Continued | 0: the symbol is complete in this report |
///
/// Promises: a symbol is taken only from a whole 64-byte report with ID 2, a length within
/// 1–56 and the continued flag clear, whose data is printable ASCII (a trailing CR, LF or Tab,
/// a scanner's suffix, is dropped); anything else is refused with a message that says what
/// was wrong and never quotes the data.
public enum HIDPOSReport {
    public static let size = 64
    public static let scannedDataReportID: UInt8 = 2
    public static let maximumDataLength = 56

    public enum Reading: Sendable, Equatable {
        /// A whole symbol: holds a payment code, so never show or log it.
        case symbol(String)
        /// Not a report Shroff reads; why, without the data.
        case refused(String)
    }

    /// Reads one report as `read(2)` on a hidraw node returns it (report ID first).
    public static func decode(_ report: [UInt8]) -> Reading {
        guard report.count == size else {
            return .refused("a \(report.count)-byte HID POS report: Shroff reads only the 64-byte Scanned Data Report (ID 2); see the README's scanner section")
        }
        guard report[0] == scannedDataReportID else {
            return .refused("HID POS report ID \(report[0]) is not the Scanned Data Report (ID 2): Shroff reads only that layout")
        }
        let length = Int(report[1])
        guard (1...maximumDataLength).contains(length) else {
            return .refused("a Scanned Data Report claiming \(length) data bytes (1–\(maximumDataLength) expected): not the layout Shroff reads")
        }
        guard report[63] == 0 else {
            return .refused("a symbol continued over several HID POS reports: Shroff takes symbols of up to \(maximumDataLength) characters in one report")
        }
        var data = Array(report[5..<(5 + length)])
        while let last = data.last, last == 13 || last == 10 || last == 9 { data.removeLast() }
        guard !data.isEmpty, data.allSatisfy({ (32...126).contains($0) }) else {
            return .refused("a Scanned Data Report whose data is not printable ASCII: set the scanner to send plain text")
        }
        return .symbol(String(decoding: data, as: UTF8.self))
    }

    /// A Scanned Data Report carrying `text` with the AIM identifier "]Q1", as a scanner sends it
    /// (for recorded tests); nil when `text` does not fit one report.
    public static func encode(_ text: String, continued: Bool = false) -> [UInt8]? {
        let data = Array(text.utf8)
        guard (1...maximumDataLength).contains(data.count) else { return nil }
        var report = [UInt8](repeating: 0, count: size)
        report[0] = scannedDataReportID
        report[1] = UInt8(data.count)
        report[2...4] = [0x5D, 0x51, 0x31]
        report[5..<(5 + data.count)] = data[...]
        report[63] = continued ? 1 : 0
        return report
    }

    /// True when a report descriptor declares usage page 0x8C (bar code scanner) and report ID 2:
    /// the layout above may then be read.
    static func describesScanner(_ descriptor: [UInt8]) -> Bool {
        var pageFound = false, reportTwo = false
        var index = 0
        while index < descriptor.count {
            let prefix = descriptor[index]
            // Long items: 0xFE, size, tag, data.
            if prefix == 0xFE {
                index += 3 + (index + 1 < descriptor.count ? Int(descriptor[index + 1]) : 0)
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            let data = descriptor[min(descriptor.count, index + 1)..<min(descriptor.count, index + 1 + size)]
            var value = 0
            for (shift, byte) in data.enumerated() { value |= Int(byte) << (8 * shift) }
            switch prefix & 0xFC {
            case 0x04: if value == 0x8C { pageFound = true }   // Usage Page
            case 0x84: if value == 2 { reportTwo = true }      // Report ID
            default: break
            }
            index += 1 + size
        }
        return pageFound && reportTwo
    }
}
