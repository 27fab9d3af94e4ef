import CheckoutCore
import Foundation

extension WantuGateway {
    /// Wantu's longest `order-list` window.
    static let listWindow: TimeInterval = 7 * 24 * 3600

    /// Every payment and refund Wantu lists between `start` and `end`, fetched in windows of at
    /// most 7 days (Wantu's limit) and for both wallets, without duplicates.
    public func transactions(from start: Date, to end: Date) async throws(GatewayError) -> [GatewayTransaction] {
        guard start <= end else { throw .rejected(GatewayProblem(code: "RANGE", message: "the start is after the end")) }
        var seen = Set<String>()
        var result: [GatewayTransaction] = []
        let dates = WantuDateFormat(timeZone: account.timeZone)
        for window in WantuGateway.windows(from: start, to: end) {
            for wallet in Wallet.allCases {
                let answer = await call("order-list", .idempotent, channel: wallet, [
                    "start_date": dates.string(window.start),
                    "end_date": dates.string(window.end),
                ])
                for line in try listLines(answer) where seen.insert("\(line.kind)|\(line.gatewayTradeID)|\(line.refundID ?? "")").inserted {
                    result.append(line)
                }
            }
        }
        return result
    }

    /// Consecutive windows covering [start, end], each at most 7 days long and ending one
    /// second before the next begins (Wantu's dates are inclusive and to the second).
    static func windows(from start: Date, to end: Date) -> [(start: Date, end: Date)] {
        var windows: [(Date, Date)] = []
        var cursor = start
        while cursor <= end {
            let windowEnd = min(end, cursor.addingTimeInterval(listWindow - 1))
            windows.append((cursor, windowEnd))
            cursor = windowEnd.addingTimeInterval(1)
        }
        return windows
    }

    func listLines(_ answer: WantuAnswer) throws(GatewayError) -> [GatewayTransaction] {
        let fields = try verifiedSuccess(answer)
        guard case .array(let entries)? = fields["order_list"] else {
            if fields["order_list"] == nil || fields["order_list"] == .null { return [] }
            throw .badAnswer("order_list is not a list")
        }
        return try entries.map { entry throws(GatewayError) in
            guard case .object(let line) = entry,
                  let tradeID = line.text("trade_id"),
                  let type = line.text("type"),
                  let amountText = line["total_fee"]?.signingText else {
                throw .badAnswer("an order_list entry lacks trade_id, type or total_fee")
            }
            let currency = line.text("fee_type").flatMap { Currency(code: $0) } ?? account.currency
            // order-list gives major units ("0.10"); read them as a decimal, never as a float.
            guard let amount = try? Money(parsing: amountText, currency: currency) else {
                throw .badAnswer("an order_list amount is unreadable: \(amountText)")
            }
            let isRefund = type == "-1"
            return GatewayTransaction(
                kind: isRefund ? .refund : .payment,
                orderID: line.text("out_trade_no") ?? line.text("out_trade_id") ?? "",
                gatewayTradeID: tradeID,
                refundID: isRefund ? (line.text("out_refund_no") ?? line.text("out_refund_id")) : nil,
                amount: amount,
                date: line.text("date_added") ?? "")
        }
    }

    /// How many CNY one unit of the store's currency buys, by WeChat Pay's rate.
    public func exchangeRate(for currency: Currency) async throws(GatewayError) -> ExchangeRate {
        let fields = try verifiedSuccess(await call("currency", .idempotent, channel: .wechat, ["fee_type": currency.code]))
        guard let text = fields.text("currency"), let rate = ExchangeRate(currency: currency, decimal: text) else {
            throw .badAnswer("the rate is missing or unreadable")
        }
        return rate
    }

    /// The store's fixed QR code, which a customer scans and then types the amount into.
    public func storeQRCode(wallet: Wallet) async throws(GatewayError) -> String {
        let fields = try verifiedSuccess(await call("merchant-qrcode", .idempotent, channel: wallet, ["notify_url": account.notifyURL]))
        guard let url = fields.text("qrcode_url") else { throw .badAnswer("no qrcode_url") }
        return url
    }

    func verifiedSuccess(_ answer: WantuAnswer) throws(GatewayError) -> [String: WantuJSON] {
        switch answer {
        case .untrusted(let why, _):
            throw why.contains("signature") || why.contains("signed") || why.contains("JSON") ? .badAnswer(why) : .noAnswer(why)
        case .foreign(let why):
            throw .badAnswer(why)
        case .verified(200, let fields):
            return fields
        case .verified(let code, let fields):
            throw .rejected(GatewayProblem(code: fields.text("return_code") ?? "\(code ?? 0)", message: fields.explanation))
        }
    }
}
