import CheckoutCore
import Foundation
import HTTPTransport
import Logging

/// Wantu's merchant API (seed: wantu-merchant-api.md) behind the `PaymentGateway` protocol.
///
/// Every request carries the common parameters and an MD5 signature; every answer's signature
/// is verified before a word of it is believed. Amounts cross into Wantu's format (integer
/// `total_fee` in minor units, `fee_type`) here and nowhere else.
public struct WantuGateway: PaymentGateway {
    public let name = "wantu"
    public let capabilities: GatewayCapabilities = [
        .barcodePay, .qrPay, .query, .cancel, .close, .refund, .transactionList, .exchangeRate, .notifications, .storeQR,
    ]

    let account: WantuAccount
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let logger: Logger

    public init(account: WantuAccount, transport: any HTTPTransport, now: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "shroff.wantu")) {
        self.account = account
        self.transport = transport
        self.now = now
        self.logger = logger
    }

    /// Sends one signed request and returns the verified answer, or why there is none. An
    /// answer that echoes another order, trade, refund, merchant or store than the request's is
    /// `foreign`: it is about something else. `effect` says whether the endpoint changes money
    /// (pospay, create-qrcode, refund, cancel, close: sent at most once) or only reads (query,
    /// order-list, currency, merchant-qrcode).
    func call(_ endpoint: String, _ effect: HTTPRequest.Effect, channel: Wallet, _ business: [String: String],
              order: String? = nil) async -> WantuAnswer {
        var parameters = business
        parameters["merchant_account"] = account.merchantAccount
        parameters["store_account"] = account.storeAccount
        parameters["pay_channel"] = channel.wantuChannel
        parameters["send_time"] = WantuDateFormat(timeZone: account.timeZone).string(now())
        parameters["version"] = "1.0"
        parameters["sign"] = WantuSignature.sign(parameters, key: account.key)
        let request = HTTPRequest(
            url: "\(account.baseURL)/\(endpoint)",
            headers: [(name: "Content-Type", value: "application/json; charset=utf-8"), (name: "Accept", value: "application/json")],
            body: WantuWire.encodeRequest(parameters),
            timeout: account.requestTimeout, effect: effect)
        let answer: WantuAnswer
        do {
            answer = WantuAnswer(response: try await transport.send(request), key: account.key).bound(to: parameters)
        } catch {
            answer = .untrusted(why: error.description, requestMayHaveArrived: error.requestMayHaveArrived)
        }
        switch answer {
        case .verified(let code, let fields):
            logger.info("wantu \(endpoint)", metadata: ["order": "\(order ?? "-")", "return_code": "\(code.map(String.init) ?? "?")", "return_msg": "\(fields.text("return_msg") ?? "")"])
        case .untrusted(let why, _), .foreign(let why):
            logger.warning("wantu \(endpoint): no trustworthy answer", metadata: ["order": "\(order ?? "-")", "why": "\(why)"])
        }
        return answer
    }

    // MARK: Payments

    public func pay(_ request: BarcodePayRequest) async -> PaymentVerdict {
        var business = [
            "total_fee": String(request.amount.minorUnits),
            "fee_type": request.amount.currency.code,
            "subject": WantuGateway.subject(request.subject),
            "out_trade_no": request.orderID.rawValue,
            "auth_code": request.code.secretDigits,
            "notify_url": account.notifyURL,
        ]
        business["device_sn"] = account.deviceSN
        let answer = await call("pospay", .changesMoney, channel: request.code.wallet, business, order: request.orderID.rawValue)
        if case .untrusted(let why, false) = answer {
            return .declined(Decline(.gatewayUnreachable, gatewayMessage: why))
        }
        return paymentVerdict(answer, currency: request.amount.currency)
    }

    public func createQR(_ request: QRPayRequest) async -> QRCreation {
        var business = [
            "total_fee": String(request.amount.minorUnits),
            "fee_type": request.amount.currency.code,
            "subject": WantuGateway.subject(request.subject),
            "product_id": request.orderID.rawValue,
            "out_trade_no": request.orderID.rawValue,
            "notify_url": account.notifyURL,
        ]
        business["device_sn"] = account.deviceSN
        let answer = await call("create-qrcode", .changesMoney, channel: request.wallet, business, order: request.orderID.rawValue)
        switch answer {
        case .untrusted(let why, false):
            return .failed(.declined(Decline(.gatewayUnreachable, gatewayMessage: why)))
        case .verified(200, let fields):
            guard let payload = fields.text("qrcode_url") else {
                return .failed(.inDoubt("Wantu created the QR order but sent no qrcode_url"))
            }
            return .created(payload: payload, gatewayOrderID: fields.text("trade_id"))
        default:
            return .failed(paymentVerdict(answer, currency: request.amount.currency))
        }
    }

    public func query(_ order: OrderReference) async -> PaymentVerdict {
        var business = ["out_trade_no": order.orderID.rawValue]
        business["trade_id"] = order.gatewayTradeID
        return queryVerdict(await call("query", .idempotent, channel: order.wallet, business, order: order.orderID.rawValue),
                            currency: order.amount.currency)
    }

    /// What an answer to a query means: 402 ORDER_INVALID is no such order, a 200 says where
    /// the trade stands by its `trade_status`.
    func queryVerdict(_ answer: WantuAnswer, currency: Currency) -> PaymentVerdict {
        guard case .verified(200, let fields) = answer else {
            if case .verified(WantuReturnCode.orderInvalid.rawValue, _) = answer { return .notFound }
            return paymentVerdict(answer, currency: currency)
        }
        switch fields.text("trade_status")?.uppercased() {
        case "SUCCESS":
            return paymentVerdict(answer, currency: currency)
        case "NOT_PAY", "NOTPAY":
            return .notPaid
        case "USER_PAYING", "USERPAYING":
            return .userPaying
        case "PAY_EEROR", "PAY_ERROR", "PAYERROR":
            return .declined(Decline(.paymentFailed, gatewayMessage: fields.text("trade_status") ?? "PAY_ERROR"))
        case "CLOSED", "REVOKED", "CANCELLED":
            return .notPaid
        case let other:
            return .inDoubt("Wantu reports trade_status \(other ?? "(none)")")
        }
    }

    /// What an answer to pospay, create-qrcode or a successful query means; an amount without
    /// `fee_type` is in `currency`.
    func paymentVerdict(_ answer: WantuAnswer, currency: Currency) -> PaymentVerdict {
        switch answer {
        case .untrusted(let why, _), .foreign(let why):
            return .inDoubt(why)
        case .verified(let code, let fields):
            guard let code, let known = WantuReturnCode(rawValue: code) else {
                return .inDoubt("Wantu answered with an undocumented return_code \(fields.text("return_code") ?? "(none)")")
            }
            switch known {
            case .success:
                guard let tradeID = fields.text("trade_id"),
                      let amount = fields.money("total_fee", currencyField: "fee_type", default: currency) else {
                    return .inDoubt("Wantu said SUCCESS without a trade number or amount")
                }
                return .paid(PaymentConfirmation(gatewayTradeID: tradeID, amount: amount, paidAt: fields.text("trade_time")))
            case .userPaying: return .userPaying
            case .systemError: return .inDoubt("Wantu reported SYSTEM_ERROR: \(fields.explanation)")
            case .outTradeNoUsed, .orderPaid: return .inDoubt("Wantu says the order number is in use (\(fields.explanation)); asking where it stands")
            case .refundError: return .inDoubt("Wantu answered a payment with REFUND_ERROR")
            case .dataFormatError, .signError, .noPrivilege, .paramMissing, .paramError:
                return .rejected(GatewayProblem(code: "\(code) \(known.message)", message: fields.explanation))
            case .orderInvalid: return .declined(Decline(.orderInvalid, gatewayMessage: fields.explanation))
            case .tradeError: return .declined(Decline(.tradeError, gatewayMessage: fields.explanation))
            case .notEnough: return .declined(Decline(.insufficientFunds, gatewayMessage: fields.explanation))
            case .notSupportCard: return .declined(Decline(.cardNotSupported, gatewayMessage: fields.explanation))
            case .bankError: return .declined(Decline(.bankError, gatewayMessage: fields.explanation))
            case .authCodeInvalid: return .declined(Decline(.codeInvalid, gatewayMessage: fields.explanation))
            case .authCodeExpired: return .declined(Decline(.codeExpired, gatewayMessage: fields.explanation))
            case .unsupportedCurrency: return .declined(Decline(.unsupportedCurrency, gatewayMessage: fields.explanation))
            }
        }
    }

    /// Wantu requires a subject of at most 128 characters: an empty one becomes "Purchase".
    static func subject(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "Purchase" : String(trimmed.prefix(128))
    }

    // MARK: Cancel and close

    public func cancel(_ order: OrderReference) async -> CancelVerdict {
        await settle("cancel", order)
    }

    public func close(_ order: OrderReference) async -> CancelVerdict {
        await settle("close", order)
    }

    func settle(_ endpoint: String, _ order: OrderReference) async -> CancelVerdict {
        let answer = await call(endpoint, .changesMoney, channel: order.wallet, ["out_trade_no": order.orderID.rawValue], order: order.orderID.rawValue)
        switch answer {
        case .untrusted(let why, _), .foreign(let why):
            return .failed(why)
        case .verified(let code, let fields):
            switch code.flatMap(WantuReturnCode.init(rawValue:)) {
            case .success?: return .cancelled
            case .orderInvalid?: return await confirmNoOrder(order, after: endpoint, fields.explanation)
            case .orderPaid?: return .alreadyPaid
            case .userPaying?: return .failed("the customer is still confirming the payment")
            case .dataFormatError?, .signError?, .noPrivilege?, .paramMissing?, .paramError?:
                return .rejected(GatewayProblem(code: "\(code ?? 0)", message: fields.explanation))
            default:
                return .failed("Wantu answered \(fields.text("return_code") ?? "?") \(fields.explanation)")
            }
        }
    }

    /// A cancel or close answered 402 ORDER_INVALID. That reads as "no such order", but also as
    /// "this order cannot be cancelled" (the seed does not say): only a query that finds no
    /// order either, or one that failed and can never be paid, lets the order end cancelled.
    func confirmNoOrder(_ order: OrderReference, after endpoint: String, _ explanation: String) async -> CancelVerdict {
        let said = "Wantu answered the \(endpoint) ORDER_INVALID (\(explanation))"
        switch await query(order) {
        case .notFound, .declined:
            return .cancelled
        case .paid:
            return .alreadyPaid
        case .underpaid:
            return .failed("\(said), but a query says money came in for it")
        case .notPaid:
            return .failed("\(said), but a query finds the order open: it may still be paid")
        case .userPaying:
            return .failed("\(said), but a query says the customer is still confirming the payment")
        case .inDoubt(let why):
            return .failed("\(said), and the query to confirm there is no such order gave no clear answer: \(why)")
        case .rejected(let problem):
            return .rejected(problem)
        }
    }
}
