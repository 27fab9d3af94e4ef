import CheckoutCore
import Foundation
import HTTPTransport
import Logging

/// The unified-order aggregator (seed: aggregator-api.md) behind the `PaymentGateway` protocol:
/// QR orders only, completed by polling `check_order` and by the signed callback.
///
/// Promises, beside the protocol's rules:
/// - Requests are signed as the seed says (empty values left out, lower-case MD5); callbacks are
///   believed only when their signature (empty values kept) verifies.
/// - Answers carry no signature. A "paid" from `check_order` is believed only when it came over
///   HTTPS or from this machine (`AggregatorAccount.answersAreAuthentic`); over plain http to
///   another host the verdict stays in doubt, waiting for the signed callback.
/// - `pay_status` 0 is never a decline, from any answer or callback, signed or not. The seed's
///   table calls it 交易失败 (trade failed), yet its own `check_order` example shows it on a
///   fresh, unpaid order: it is in doubt, in the words of `reportedFailed`, so the till keeps
///   the QR code up and listening until it times out, and a later payment still counts.
/// - Order numbers are 20 characters (`orderNumberLength`): the seed's "字符长度20" read as an
///   exact length or as a maximum, 20 satisfies both.
/// - Amounts cross here only: `amount` goes out as integer fen, and answers are read by the
///   rule of `AggregatorAmount`. Orders in any currency but CNY are refused before anything is sent.
/// - There is no refund, cancel or close at this gateway: `capabilities` says so, and nothing
///   of the kind is ever sent. An expired QR order stays open there for a late callback.
public struct AggregatorGateway: PaymentGateway {
    public let name = "aggregator"
    public let capabilities: GatewayCapabilities = [.qrPay, .query, .notifications]
    /// Where a refund has to be made instead, for the till's and the command line's refusals.
    public let refundAdvice = "refund this order in the aggregator's merchant back office"
    public let orderNumberLength = 20

    let account: AggregatorAccount
    let transport: any HTTPTransport
    let logger: Logger

    public init(account: AggregatorAccount, transport: any HTTPTransport, logger: Logger = Logger(label: "shroff.aggregator")) {
        self.account = account
        self.transport = transport
        self.logger = logger
    }

    // MARK: Payments

    /// `POST {base_url}/api/order/unified`: a QR order whose `redirect_url` the till draws.
    public func createQR(_ request: QRPayRequest) async -> QRCreation {
        if let problem = currencyProblem(request.amount) { return .failed(.rejected(problem)) }
        let parameters = [
            "appid": account.appID,
            "order_no": request.orderID.rawValue,
            "amount": String(request.amount.minorUnits),
            "product_name": Self.productName(request.subject),
            "bank_code": account.bankCode(request.wallet),
            "notify_url": account.notifyURL,
            "return_url": account.returnURL,
        ]
        let body = Array(FormEncoding.encode(signed(parameters)).utf8)
        let exchange = await send("api/order/unified", method: "POST", .changesMoney, body: body, order: request.orderID)
        switch exchange {
        case .noAnswer(let why, false):
            return .failed(.declined(Decline(.gatewayUnreachable, gatewayMessage: why)))
        case .noAnswer(let why, true):
            return .failed(.inDoubt(why))
        case .answered(let answer):
            switch answer.status {
            case "1":
                if let other = answer.field("order_no"), other != request.orderID.rawValue {
                    return .failed(.inDoubt("the aggregator answered about another order (\(other))"))
                }
                // pay_status 0 here may be a fresh order's state: the code is shown, and the
                // first check_order tells the cashier what the aggregator reports.
                guard let payload = answer.field("redirect_url") else {
                    return .failed(.inDoubt("the aggregator accepted the order but sent no redirect_url to show"))
                }
                return .created(payload: payload, gatewayOrderID: answer.field("platform_order_no"))
            case "0":
                // Nothing was created: a signature, account or parameter the aggregator refused.
                return .failed(.rejected(GatewayProblem(code: "status 0", message: answer.message)))
            default:
                return .failed(.inDoubt("the aggregator answered with status \(answer.status ?? "(none)"): \(answer.message)"))
            }
        }
    }

    /// `GET {base_url}/api/order/check_order`: where the order stands, believed as the type's
    /// promises say.
    public func query(_ order: OrderReference) async -> PaymentVerdict {
        if let problem = currencyProblem(order.amount) { return .rejected(problem) }
        let parameters = signed(["appid": account.appID, "order_no": order.orderID.rawValue])
        let query = FormEncoding.encode(parameters)
        let exchange = await send("api/order/check_order?" + query, method: "GET", .idempotent, body: [], order: order.orderID)
        let answer: AggregatorAnswer
        switch exchange {
        case .noAnswer(let why, _): return .inDoubt(why)
        case .answered(let answered): answer = answered
        }
        guard answer.status == "1" else {
            return .inDoubt("the aggregator's check_order answered status \(answer.status ?? "(none)"): \(answer.message)")
        }
        if let other = answer.field("order_no"), other != order.orderID.rawValue {
            return .inDoubt("the aggregator answered about another order (\(other))")
        }
        switch answer.field("pay_status") {
        case "-1":
            return .notPaid
        case "0":
            return .inDoubt(Self.reportedFailed)
        case "1":
            guard account.answersAreAuthentic else { return .inDoubt(Self.unauthenticatedPaid) }
            return paid(answer, order: order)
        case let other:
            return .inDoubt("the aggregator's check_order reports an undocumented pay_status \(other ?? "(none)")")
        }
    }

    /// A paid `check_order` answer from an authentic channel, its amount read by `AggregatorAmount`'s rule.
    func paid(_ answer: AggregatorAnswer, order: OrderReference) -> PaymentVerdict {
        guard let text = answer.field("amount") else {
            return .inDoubt("the aggregator says paid but gives no amount")
        }
        if AggregatorAmount.isYuanOnlyReading(text, expected: order.amount) {
            return .inDoubt("the aggregator says paid with amount \(text), which is \(order.amount) only if read as yuan, and the seed's unit is fen; not believed — check the order in the aggregator's back office")
        }
        guard let amount = AggregatorAmount.money(text) else {
            return .inDoubt("the aggregator says paid with amount \(text), which is not a whole number of fen")
        }
        // The seed makes platform_order_no optional: the one the unified order gave, else our number.
        let trade = answer.field("platform_order_no") ?? order.gatewayTradeID ?? order.orderID.rawValue
        return .paid(PaymentConfirmation(gatewayTradeID: trade, amount: amount, paidAt: answer.field("pay_time")))
    }

    /// What `pay_status` 0 means to the till, in the words it shows beside the QR code while it
    /// keeps waiting: failed in the seed's table, unpaid yet in its example.
    static let reportedFailed = "the aggregator reports the payment as failed so far (pay_status 0), but the customer may still pay until the QR code times out"

    /// Why an unsigned "paid" over plain http is not believed, in the words the till shows
    /// (what it waits for first: the screen has room for three lines).
    static let unauthenticatedPaid = "check_order says paid, waiting for its signed callback: the answer came unsigned over plain http, where anyone on the way could have written it"

    // MARK: Wire

    /// `parameters` with their `sign`, by the request rule.
    func signed(_ parameters: [String: String]) -> [String: String] {
        var all = parameters
        all["sign"] = AggregatorSignature.sign(parameters, secret: account.secret, form: .request)
        return all
    }

    /// Sends one request to `{base_url}/{path}`; the form's fields in name order. `effect` says
    /// whether it changes money (the unified order: sent at most once) or only reads (check_order).
    func send(_ path: String, method: String, _ effect: HTTPRequest.Effect, body: [UInt8], order: OrderID) async -> AggregatorExchange {
        var headers = [(name: "Accept", value: "application/json")]
        if method == "POST" { headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded")) }
        let request = HTTPRequest(url: "\(account.baseURL)/\(path)", method: method, headers: headers, body: body,
                                  timeout: account.requestTimeout, effect: effect)
        let exchange: AggregatorExchange
        do {
            exchange = AggregatorExchange(.success(try await transport.send(request)))
        } catch {
            exchange = AggregatorExchange(.failure(error))
        }
        let endpoint = String(path.prefix { $0 != "?" })
        switch exchange {
        case .answered(let answer):
            logger.info("aggregator \(endpoint)", metadata: ["order": "\(order)", "status": "\(answer.status ?? "?")",
                                                             "pay_status": "\(answer.data["pay_status"] ?? "-")", "message": "\(answer.message)"])
        case .noAnswer(let why, _):
            logger.warning("aggregator \(endpoint): no answer", metadata: ["order": "\(order)", "why": "\(why)"])
        }
        return exchange
    }

    func currencyProblem(_ amount: Money) -> GatewayProblem? {
        guard amount.currency != .cny else { return nil }
        return GatewayProblem(code: "CURRENCY", message: "the aggregator charges in CNY fen only, and this order is in \(amount.currency.code): set [store] currency = \"CNY\"")
    }

    /// The seed requires a product name: an empty subject becomes "Purchase".
    static func productName(_ subject: String) -> String {
        let trimmed = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "Purchase" : String(trimmed.prefix(64))
    }
}
