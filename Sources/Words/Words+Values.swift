import CheckoutCore
import Foundation

extension Words {
    /// The wallet's name as customers know it in this language (微信支付, 支付寶).
    public func wallet(_ wallet: Wallet) -> String {
        self("wallet.\(wallet.rawValue)")
    }

    /// An amount as this language writes one ("HKD 12.30", "HK$12.30", "¥12.30"): the
    /// currency's own wording (`amount.HKD`) where the catalog has one, else the ISO code.
    public func amount(_ money: Money) -> String {
        let arguments = ["amount": money.decimalString, "code": money.currency.code]
        return template("amount.\(money.currency.code)") == nil ? self("amount.coded", arguments) : self("amount.\(money.currency.code)", arguments)
    }

    /// An amount beside another currency's: both keep their ISO codes ("HKD 12.30  (about CNY 11.20)").
    public func amount(_ money: Money, about other: Money) -> String {
        self("amount.with_other", ["amount": self("amount.coded", ["amount": money.decimalString, "code": money.currency.code]),
                                   "other": self("amount.coded", ["amount": other.decimalString, "code": other.currency.code])])
    }

    /// Whose orders a listing or report covers: "till counter-1", or every till of the store
    /// by name when `all` ("all tills: counter-1, counter-2").
    public func tills(_ names: [String], all: Bool) -> String {
        let list = names.joined(separator: self("list.separator"))
        return all ? self("tills.all", ["tills": list]) : self("tills.one", ["till": list])
    }

    /// The date `date` falls on in `timeZone`, in this language's usual form ("2026-12-07", "2026年12月7日").
    public func date(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return day(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
    }

    /// A store day written "yyyy-MM-dd", in this language's usual form; as written when it is not one.
    public func day(_ text: String) -> String {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return text }
        return day(year: parts[0], month: parts[1], day: parts[2])
    }

    private func day(year: Int, month: Int, day: Int) -> String {
        self("format.date", ["year": String(year), "month": String(month), "day": String(day),
                             "mm": Words.twoDigits(month), "dd": Words.twoDigits(day)])
    }

    /// "14:05", or "14:05:09" with seconds, in `timeZone`: a 24-hour clock in every language.
    public func time(_ date: Date, in timeZone: TimeZone, seconds: Bool = false) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        let fields = seconds ? [parts.hour, parts.minute, parts.second] : [parts.hour, parts.minute]
        return fields.map { Words.twoDigits($0 ?? 0) }.joined(separator: ":")
    }

    /// The date and time of `date` in `timeZone`, in this language's usual form.
    public func dateTime(_ date: Date, in timeZone: TimeZone) -> String {
        self("format.date_time", ["date": self.date(date, in: timeZone), "time": time(date, in: timeZone)])
    }

    /// An order's or refund's status as the cashier reads it (PAID, 已付款).
    public func status(_ status: OrderStatus) -> String {
        self("status.\(status.rawValue)")
    }

    /// The arguments each format key is given: its wording may use any of them.
    static let formatArguments: [String: Set<String>] = [
        "format.date": ["year", "month", "day", "mm", "dd"],
        "format.date_time": ["date", "time"],
    ]

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension Words {
    /// A request to the gateway as the cashier reads it ("pay", "query", "create-qrcode"); as
    /// named when this language has no wording for it.
    public func operation(_ name: String) -> String {
        template("operation.\(name)") == nil ? name : self("operation.\(name)")
    }
}
