import Foundation

/// Wantu's "yyyy-MM-dd HH:mm:ss" in one time zone, read strictly: exactly 19 characters, and
/// a date that exists ("2018-02-30 10:00:00" is refused, where a lenient formatter rolls it over).
public struct WantuDateFormat: Sendable {
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    public func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
    }

    /// The compact form trade numbers carry: "yyyyMMddHHmmss".
    public func compact(_ date: Date) -> String {
        string(date).filter { $0.isNumber }
    }

    public func date(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 19 else { return nil }
        let separators: [Int: UInt8] = [4: UInt8(ascii: "-"), 7: UInt8(ascii: "-"), 10: UInt8(ascii: " "),
                                        13: UInt8(ascii: ":"), 16: UInt8(ascii: ":")]
        for (index, char) in chars.enumerated() {
            if let separator = separators[index] {
                guard char == separator else { return nil }
            } else {
                guard char >= UInt8(ascii: "0"), char <= UInt8(ascii: "9") else { return nil }
            }
        }
        func number(_ range: Range<Int>) -> Int { Int(String(decoding: chars[range], as: UTF8.self)) ?? -1 }
        let components = DateComponents(
            year: number(0..<4), month: number(5..<7), day: number(8..<10),
            hour: number(11..<13), minute: number(14..<16), second: number(17..<19))
        // Formatting the result back must give the same text, or a field was out of range.
        guard let date = calendar.date(from: components), string(date) == text else { return nil }
        return date
    }
}
