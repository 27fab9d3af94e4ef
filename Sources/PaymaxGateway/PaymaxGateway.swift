import CheckoutCore
import Foundation
import HTTPTransport
import Logging
import Signing

/// Paymax's merchant API (seeds paymax-api.md, paymax-pc-web-payment.md; signing as in
/// notes/paymax-signing.md) behind the `PaymentGateway` protocol: QR charges, queries,
/// refunds and webhooks.
///
/// Every request is signed over the composed string with the merchant key; every answer is
/// believed only after `PaymaxAnswer`'s checks. Amounts cross into yuan decimals here and
/// nowhere else. Paymax has no cancel or close: an unpaid charge expires at `time_expire`.
public struct PaymaxGateway: PaymentGateway {
    public let name = "paymax"
    public let capabilities: GatewayCapabilities = [.qrPay, .query, .refund, .refundQuery, .notifications]

    let account: PaymaxAccount
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    let logger: Logger

    public init(account: PaymaxAccount, transport: any HTTPTransport, now: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "shroff.paymax")) {
        self.account = account
        self.transport = transport
        self.now = now
        self.logger = logger
    }

    /// Sends one signed request to `uri` (from `/v1/` on) and returns the verified answer, or why there is none.
    /// `effect` says whether it changes money (a charge, a refund: sent at most once) or only reads.
    func call(_ method: String, _ uri: String, _ effect: HTTPRequest.Effect, body: String = "", order: String) async -> PaymaxAnswer {
        let bytes = Array(body.utf8)
        let timestamp = String(Self.millis(now()))
        let headers: [(name: String, value: String)]
        do {
            let nonce = try PaymaxSignature.nonce()
            let text = PaymaxSignature.requestText(method: method, uri: uri, query: "", nonce: nonce, timestamp: timestamp,
                                                   authorization: account.secretKey, body: bytes)
            headers = [("Authorization", account.secretKey), ("nonce", nonce), ("timestamp", timestamp),
                       ("sign", try account.merchantKey.signSHA1Base64(text)),
                       ("Content-Type", "application/json;charset=utf-8")]
        } catch {
            return .untrusted(why: "the request could not be signed: \(error)", requestMayHaveArrived: false)
        }
        let request = HTTPRequest(url: account.baseURL + uri, method: method, headers: headers, body: bytes,
                                  timeout: account.requestTimeout, effect: effect)
        let answer: PaymaxAnswer
        do {
            answer = PaymaxAnswer(response: try await transport.send(request), account: account, now: now())
        } catch {
            answer = .untrusted(why: error.description, requestMayHaveArrived: error.requestMayHaveArrived)
        }
        switch answer {
        case .verified(let status, let object):
            logger.info("paymax \(method) \(uri)", metadata: ["order": "\(order)", "http": "\(status)",
                                                              "status": "\(object.text("status") ?? object.text("failure_code") ?? "-")"])
        case .untrusted(let why, _):
            logger.warning("paymax \(method) \(uri): no trustworthy answer", metadata: ["order": "\(order)", "why": "\(why)"])
        }
        return answer
    }

    // MARK: Charges

    public func wallets(for method: PaymentMethod) -> [Wallet] {
        guard method == .qr else { return [] }
        return Wallet.allCases.filter { wallet in account.channels.contains { PaymaxChannel.supported[$0] == wallet } }
    }

    /// `POST /v1/charges`: the credential (a URL, a code, or a lakala form) is what the till
    /// shows; the charge id is recorded at once.
    public func createQR(_ request: QRPayRequest) async -> QRCreation {
        guard let channel = account.channels.first(where: { PaymaxChannel.supported[$0] == request.wallet }) else {
            return .failed(.rejected(.unsupported))
        }
        guard request.amount.currency == .cny else {
            return .failed(.declined(Decline(.unsupportedCurrency, gatewayMessage: "Paymax takes CNY only")))
        }
        let expires = Self.millis(now()) + account.timeExpire.components.seconds * 1000
        let subject = Self.subject(request.subject)
        var fields: [(String, GatewayJSON)] = [
            ("order_no", .string(request.orderID.rawValue)),
            ("amount", .number(PaymaxAmount.yuan(request.amount))),
            ("subject", .string(subject)),
            ("body", .string(String("\(subject) (order \(request.orderID.rawValue))".prefix(128)))),
            ("channel", .string(channel)),
            ("app", .string(account.appKey)),
            ("client_ip", .string(Self.clientIP)),
            ("time_expire", .number(String(expires))),
            ("currency", .string("cny")),
        ]
        if let extra = extra(for: channel) { fields.append(("extra", .object(extra))) }
        let body = GatewayJSON.ordered(fields)
        let answer = await call("POST", "/v1/charges", .changesMoney, body: body, order: request.orderID.rawValue)
        switch answer {
        case .untrusted(let why, false):
            return .failed(.declined(Decline(.gatewayUnreachable, gatewayMessage: why)))
        case .untrusted(let why, true):
            return .failed(.inDoubt(why))
        case .verified(let status, let object):
            if let failure = PaymaxFailure(object, status: status) {
                return .failed(chargeRefusal(failure, channel: channel))
            }
            guard object.text("order_no") == request.orderID.rawValue, let chargeID = object.text("id") else {
                return .failed(.inDoubt("Paymax's answer names another order or no charge id"))
            }
            if let mismatch = modeMismatch(object) {
                // No one can pay it for this account: the keys are another mode's than the configuration says.
                return .failed(.rejected(GatewayProblem(code: "LIVEMODE", message: "Paymax's \(mismatch); use the keys of the account the till is set for, or correct livemode in [providers.paymax]")))
            }
            guard let payload = Self.credential(object["credential"], channel: channel) else {
                return .failed(.inDoubt("Paymax made charge \(chargeID) but sent no credential to show"))
            }
            return .created(payload: payload, gatewayOrderID: chargeID)
        }
    }

    /// `GET /v1/charges/{id}`: where the charge stands.
    public func query(_ order: OrderReference) async -> PaymentVerdict {
        guard let chargeID = order.gatewayTradeID else {
            // Paymax is asked by charge id only; an order whose creation answer was lost is
            // settled by the charge webhook, once Paymax confirms its charge (`lookUp(trade:)`).
            return .inDoubt("Paymax's charge id for this order is not known; only its webhook can settle it")
        }
        let answer = await call("GET", "/v1/charges/\(chargeID)", .idempotent, order: order.orderID.rawValue)
        switch answer {
        case .untrusted(let why, _):
            return .inDoubt(why)
        case .verified(let status, let object):
            if let failure = PaymaxFailure(object, status: status) {
                return failure.kind == .configuration ? .rejected(failure.problem) : .inDoubt("Paymax answered \(failure.words)")
            }
            return chargeVerdict(object, order: order)
        }
    }

    /// What a Charge object (a query's answer or a webhook's `data`) says about `order`.
    func chargeVerdict(_ charge: [String: GatewayJSON], order: OrderReference) -> PaymentVerdict {
        guard charge.text("order_no") == order.orderID.rawValue else {
            return .inDoubt("Paymax's charge names order \(charge.text("order_no") ?? "(none)"), not \(order.orderID)")
        }
        if let mismatch = modeMismatch(charge) {
            return .inDoubt("Paymax's \(mismatch): it never settles this order")
        }
        switch charge.text("status")?.uppercased() {
        case "SUCCEED":
            guard let chargeID = charge.text("id"), let amount = charge.text("amount").flatMap(PaymaxAmount.money) else {
                return .inDoubt("Paymax said SUCCEED without a charge id or a readable amount")
            }
            guard amount == order.amount else {
                return .inDoubt("Paymax reports \(amount) paid for an order of \(order.amount); check it in Paymax's back office")
            }
            return .paid(PaymentConfirmation(gatewayTradeID: chargeID, amount: amount, paidAt: charge.text("time_paid")))
        case "PROCESSING":
            return .notPaid
        case "FAILED":
            let words = [charge.text("failure_code"), charge.text("failure_msg")].compactMap { $0 }.joined(separator: ": ")
            return .declined(Decline(.paymentFailed, gatewayMessage: words.isEmpty ? "FAILED" : words))
        case let other:
            return .inDoubt("Paymax reports status \(other ?? "(none)")")
        }
    }

    /// Why a Charge object is of another mode than the account's (`livemode`); nil when it is
    /// of the account's mode, or does not say (its charge id then binds it alone).
    func modeMismatch(_ charge: [String: GatewayJSON]) -> String? {
        guard let written = charge["livemode"] else { return nil }
        let mode = written.text
        guard mode != (account.livemode ? "true" : "false") else { return nil }
        let charges = mode == "true" ? "live" : mode == "false" ? "test-mode" : "unreadable-mode (livemode \(written.encoded))"
        return "charge \(charge.text("id") ?? "(no id)") is a \(charges) charge, but this account is \(account.livemode ? "live" : "in test mode") ([providers.paymax] livemode = \(account.livemode))"
    }

    /// The charge's `extra` for `channel`: `return_url` where the channel sends a browser back,
    /// and the fields the shop set that the channel takes; nil when there is none to send.
    func extra(for channel: String) -> [String: GatewayJSON]? {
        var extra: [String: GatewayJSON] = [:]
        if PaymaxChannel.returnURLChannels.contains(channel) { extra["return_url"] = .string(account.returnURL) }
        for field in PaymaxChannel.extraFields[channel] ?? [] {
            if let value = account.extra[field] { extra[field] = .string(value) }
        }
        return extra.isEmpty ? nil : extra
    }

    /// A refused charge creation, in the checkout's words. A parameter refusal naming an
    /// `extra` field the shop can set says which setting supplies it; any other refusal keeps
    /// its own meaning whatever its words name (a duplicate order number stays in doubt).
    func chargeRefusal(_ failure: PaymaxFailure, channel: String) -> PaymentVerdict {
        let words = failure.words.lowercased()
        if failure.kind == .configuration,
           let field = PaymaxChannel.settableFields.first(where: { words.contains($0) || words.contains($0.replacingOccurrences(of: "_", with: "")) }) {
            let set = account.extra[field] == nil ? "set" : "check"
            return .rejected(GatewayProblem(code: failure.code, message: "Paymax refused the \(channel) charge for its extra field \(field) (\(failure.message)): \(set) \(field) = \"…\" in [providers.paymax]"))
        }
        switch failure.kind {
        case .orderNumberUsed:
            return .inDoubt("Paymax already has this order number (an earlier attempt reached it: \(failure.words)); its webhook will say whether it was paid")
        case .amount:
            return .declined(Decline(.orderInvalid, gatewayMessage: "Paymax refused the amount (\(failure.words))"))
        case .configuration:
            return .rejected(failure.problem)
        case .refundProcessing, .other:
            return .inDoubt("Paymax answered \(failure.words)")
        }
    }

    /// What the till shows for `channel`'s credential: a URL (`alipay_web`), the code in
    /// `{"wechat_csb": {"qr_code": …}}`, or the HTML form of a form channel. A form from a
    /// channel that should answer with a code, or a code from a form channel, is not shown.
    static func credential(_ value: GatewayJSON?, channel: String) -> String? {
        var entry: GatewayJSON?
        switch value {
        case .string?: entry = value
        case .object(let byChannel)?: entry = byChannel[channel] ?? (byChannel.count == 1 ? byChannel.values.first : nil)
        default: entry = nil
        }
        if case .object(let fields)? = entry { entry = fields["qr_code"] }
        guard let text = entry?.text, PayLink.isForm(text) == PaymaxChannel.formChannels.contains(channel) else { return nil }
        return text
    }

    /// Paymax takes a subject of at most 32 characters: an empty one becomes "Purchase".
    static func subject(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "Purchase" : String(trimmed.prefix(32))
    }

    /// Epoch milliseconds, as Paymax writes every time.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The till is the client that starts the payment; Paymax asks for an address, not a route back.
    static let clientIP = "127.0.0.1"
}
