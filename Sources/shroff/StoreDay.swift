import Foundation

/// A calendar day in the store's time zone, as typed on the command line ("2026-11-22").
struct StoreDay {
    let start: Date
    /// The last second of the day.
    let end: Date
    let text: String

    init(_ text: String, timeZone: TimeZone) throws {
        let parts = text.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2] else {
            throw ShroffFailure("\"\(text)\" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-22.")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
              let next = calendar.date(byAdding: .day, value: 1, to: start) else {
            throw ShroffFailure("\"\(text)\" is not a date in the calendar: write it as YYYY-MM-DD, e.g. 2026-11-22.")
        }
        self.start = start
        self.end = next.addingTimeInterval(-1)
        self.text = text
    }

    static func today(in timeZone: TimeZone, now: Date = Date()) -> StoreDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        let text = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        return try! StoreDay(text, timeZone: timeZone)  // made from a real date
    }
}
