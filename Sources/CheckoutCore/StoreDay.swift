import Foundation

/// One calendar day in the store's time zone: what an X or Z report, a day's order list or a
/// reconciliation covers.
///
/// `start` is the day's first instant and `end` the next day's (exclusive), so a day of a
/// daylight-saving change is 23 or 25 hours long, as the store lived it.
public struct StoreDay: Sendable, Equatable {
    /// "yyyy-MM-dd".
    public let text: String
    public let timeZone: TimeZone
    public let start: Date
    public let end: Date

    /// The day written as "yyyy-MM-dd"; nil when it is not a date in the calendar.
    public init?(_ text: String, timeZone: TimeZone) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let start = calendar.date(from: components),
              let end = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
        self.text = text
        self.timeZone = timeZone
        self.start = start
        self.end = end
    }

    /// The day `date` falls on in `timeZone`.
    public static func containing(_ date: Date, in timeZone: TimeZone) -> StoreDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        let text = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        return StoreDay(text, timeZone: timeZone)!  // made from a real date
    }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }
}
