import CheckoutCore
import Foundation
import WantuGateway

extension WantuSandbox {
    /// The longest order-list window Wantu serves.
    static let longestWindow: TimeInterval = 7 * 24 * 3600

    /// `order-list`: payments (type 1) and refunds (type -1) dated within the window, ends
    /// included, oldest first; amounts in major units as JSON numbers, as the seed shows them.
    func orderList(_ request: WantuRequest) throws(Refusal) -> Answer {
        let values = try request.require("start_date", "end_date")
        guard let start = dates.date(values[0]) else { throw Refusal(.paramError, "start_date must be yyyy-MM-dd HH:mm:ss") }
        guard let end = dates.date(values[1]) else { throw Refusal(.paramError, "end_date must be yyyy-MM-dd HH:mm:ss") }
        guard end >= start else { throw Refusal(.paramError, "end_date is before start_date") }
        guard end.timeIntervalSince(start) <= Self.longestWindow else {
            throw Refusal(.paramError, "start_date and end_date are more than 7 days apart")
        }
        settleAll()

        var lines: [(date: Date, sequence: Int, entry: WantuJSON)] = []
        for order in orders.values {
            if order.status == .paid, let paid = order.paidWall, paid >= start, paid <= end {
                lines.append((paid, 0, line(order, refund: nil, minor: order.amountMinor, date: paid)))
            }
            for (index, refund) in order.refunds.enumerated() where refund.date >= start && refund.date <= end {
                lines.append((refund.date, index + 1, line(order, refund: refund, minor: refund.amountMinor, date: refund.date)))
            }
        }
        lines.sort { ($0.date, $0.sequence) < ($1.date, $1.sequence) }
        return Answer(.success, fields: ["order_list": .array(lines.map(\.entry))])
    }

    private func line(_ order: SandboxOrder, refund: SandboxRefund?, minor: Int64, date: Date) -> WantuJSON {
        .object([
            "trade_id": .string(order.tradeID),
            "out_trade_no": .string(order.outTradeNo),
            "refund_id": .string(refund?.refundID ?? ""),
            "out_refund_no": .string(refund?.outRefundNo ?? ""),
            "type": .integer(refund == nil ? 1 : -1),
            "total_fee": Self.majorUnits(minor, account.currency),
            "date_added": .string(dates.string(date)),
            "fee_type": .string(account.currency.code),
        ])
    }

    /// An amount in major units as a JSON number: 10 minor HKD units are 0.1, 100 are 1.
    /// Whole amounts are integers so they read back exactly as written.
    static func majorUnits(_ minor: Int64, _ currency: Currency) -> WantuJSON {
        let scale = currency.minorPerMajor
        if minor % scale == 0 { return .integer(minor / scale) }
        return .number(Double(Money(minorUnits: minor, currency: currency).decimalString) ?? Double(minor) / Double(scale))
    }

    /// Fixed rates into CNY, as `currency` quotes them (WeChat's rate, eight decimals).
    public static let exchangeRates: [String: String] = [
        "HKD": "0.87080000", "MOP": "0.84540000", "USD": "7.10500000", "EUR": "7.72300000",
    ]

    /// `currency`: the rate from `fee_type` (default: the store's currency) into CNY.
    func currencyRate(_ request: WantuRequest) throws(Refusal) -> Answer {
        let code = (request.text("fee_type") ?? account.currency.code).uppercased()
        guard let rate = Self.exchangeRates[code] else {
            throw Refusal(.unsupportedCurrency, "no rate for \(code)")
        }
        return Answer(.success, fields: ["currency": .string(rate)])
    }

    /// `merchant-qrcode`: the store's fixed QR code (customers type the amount themselves).
    /// The seed lists notify_url as required but its own example omits it; the sandbox
    /// follows the example.
    func merchantQRCode(_ request: WantuRequest) throws(Refusal) -> Answer {
        let store = account.storeAccount.lowercased()
        let url = payChannel(request) == 1
            ? "weixin://wxpay/bizpayurl?pr=\(store)"
            : "https://qr.alipay.com/\(store)"
        return Answer(.success, fields: ["qrcode_url": .string(url)])
    }
}
