import CheckoutCore
import Foundation
import HTTPTransport
import PaymaxGateway
import Signing

/// A charge as the Paymax sandbox keeps it.
struct PaymaxSandboxCharge: Sendable {
    var id: String
    var orderNo: String
    var fen: Int64
    var channel: String
    var subject: String
    var body: String
    var status: String
    var created: Int64
    var expires: Int64
    var paid: Int64?
    var scenario: PaymaxScenario
    var refundIDs: [String] = []
    /// Paymax's mode of the charge: the sandbox is test mode, so false unless it stands for a
    /// charge of the other mode.
    var livemode = false
    /// The app the charge was made for; nil for this merchant's.
    var app: String?
    /// The channel's extra parameters as the request sent them.
    var extra: [String: GatewayJSON] = [:]
}

extension PaymaxSandbox {
    /// `POST /v1/charges`, checked field by field as the seed's table says.
    func createCharge(_ bytes: [UInt8]) -> PaymaxSandboxAnswer {
        guard let request = GatewayJSON.parse(bytes)?.object else { return Self.refusal("PARAM_ERROR", "the body is not a JSON object") }
        guard let orderNo = request.text("order_no"), (8...20).contains(orderNo.count),
              orderNo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return Self.refusal("PARAM_ERROR", "order_no must be 8-20 letters or digits")
        }
        guard case .number(let amountText)? = request["amount"], let amount = PaymaxAmount.money(amountText), amount.minorUnits > 0 else {
            return Self.refusal("AMOUNT_ERROR", "amount must be a number of yuan greater than 0, at most 2 decimals")
        }
        guard let subject = request.text("subject"), subject.count <= 32, let body = request.text("body"), body.count <= 128 else {
            return Self.refusal("PARAM_ERROR", "subject (at most 32) and body (at most 128) are required")
        }
        guard let channel = request.text("channel"), Self.channels.contains(channel) else {
            return Self.refusal("PARAM_ERROR", "channel \(request.text("channel") ?? "(none)") is not open for this app")
        }
        guard request.text("app") == appKey else { return Self.refusal("ILLEGAL_APP", "app is not this merchant's app key") }
        guard request.text("client_ip") != nil else { return Self.refusal("PARAM_ERROR", "client_ip is required") }
        guard (request.text("currency") ?? "cny").lowercased() == "cny" else { return Self.refusal("PARAM_ERROR", "currency must be cny") }
        let extra = request["extra"]?.object ?? [:]
        if channel != "wechat_csb", extra.text("return_url") == nil {
            return Self.refusal("PARAM_ERROR", "extra.return_url is required for \(channel)")
        }
        if channel.hasPrefix("lakala"), !(extra.text("user_id")?.allSatisfy({ $0.isASCII && $0.isNumber }) ?? false) {
            return Self.refusal("PARAM_ERROR", "extra.user_id is required for \(channel), in digits only")
        }
        let scenario = PaymaxScenario(fen: amount.minorUnits)
        if channel == "wechat_csb", scenario == .openIDRequired, extra.text("open_id") == nil {
            return Self.refusal("PARAM_ERROR", "extra.open_id is required for wechat_csb")
        }
        guard orderIndex[orderNo] == nil else { return Self.refusal("ORDER_NO_DUPLICATE", "order_no \(orderNo) already exists") }
        let now = Self.millis(wallClock())
        let expires = request.text("time_expire").flatMap { Int64($0) } ?? now + 3_600_000
        var charge = PaymaxSandboxCharge(id: nextID("ch_"), orderNo: orderNo, fen: amount.minorUnits, channel: channel, subject: subject,
                                         body: body, status: "PROCESSING", created: now, expires: expires, scenario: scenario)
        charge.extra = extra
        switch scenario {
        case .paidAtOnce, .refundedInBackOffice: charge.status = "SUCCEED"; charge.paid = now
        case .failed: charge.status = "FAILED"
        default: break
        }
        charges[charge.id] = charge
        orderIndex[orderNo] = charge.id
        if scenario == .refundedInBackOffice {
            let id = charge.id
            announce(charge) { await self.refundInBackOffice(charge: id) }
        } else if charge.status == "SUCCEED" {
            announce(charge)
        }
        switch scenario {
        case .otherModeChargeAnnounced: announceStranger(charge, livemode: true, app: appKey)
        case .foreignChargeAnnounced: announceStranger(charge, livemode: false, app: "app_another_merchant")
        default: break
        }
        var answer = PaymaxSandboxAnswer(object: render(charge, credential: true))
        switch scenario {
        case .badSignature: answer.fault = .badSignature
        case .staleTimestamp: answer.fault = .stale
        case .serverErrorAfterCharge: answer.fault = .serverError
        default: break
        }
        return answer
    }

    /// `GET /v1/charges/{id}`.
    func chargeAnswer(_ id: String) -> PaymaxSandboxAnswer {
        guard let charge = charges[id] else { return PaymaxSandboxAnswer(status: 404, object: ["failure_code": .string("ORDER_NOT_EXIST"), "failure_msg": .string("no charge \(id)")]) }
        settleRefunds(of: id)
        return PaymaxSandboxAnswer(object: render(charge, credential: false))
    }

    /// A customer pays the open charge with this order number; false when there is none, or
    /// it is paid, failed, expired or a never-paid scenario.
    func payCharge(orderNo: String) -> Bool {
        guard let id = orderIndex[orderNo], var charge = charges[id], charge.status == "PROCESSING",
              charge.scenario != .neverPaid, Self.millis(wallClock()) < charge.expires else { return false }
        charge.status = "SUCCEED"
        charge.paid = Self.millis(wallClock())
        charges[id] = charge
        logger.info("paymax sandbox customer paid", metadata: ["order_no": "\(orderNo)", "charge": "\(id)"])
        announce(charge)
        return true
    }

    /// A Charge object as Paymax writes it.
    func render(_ charge: PaymaxSandboxCharge, credential: Bool) -> [String: GatewayJSON] {
        let refunds = charge.refundIDs.compactMap { self.refunds[$0] }
        let refunded = refunds.filter { $0.status == "SUCCEED" }.reduce(Int64(0)) { $0 + $1.fen }
        var object: [String: GatewayJSON] = [
            "id": .string(charge.id), "order_no": .string(charge.orderNo), "app": .string(charge.app ?? appKey),
            "amount": .number(PaymaxAmount.yuan(Money(minorUnits: charge.fen, currency: .cny))),
            "amount_refunded": .number(PaymaxAmount.yuan(Money(minorUnits: refunded, currency: .cny))),
            "amount_settle": .number("0"), "channel": .string(charge.channel), "currency": .string("CNY"),
            "subject": .string(charge.subject), "body": .string(charge.body), "client_ip": .string("127.0.0.1"),
            "livemode": .bool(charge.livemode), "status": .string(charge.status), "refunded": .bool(!refunds.isEmpty),
            "refunds": .array(refunds.map { .object(listed($0)) }),
            "time_created": .number(String(charge.created)), "time_expire": .number(String(charge.expires)),
        ]
        if let paid = charge.paid { object["time_paid"] = .number(String(paid)) }
        if charge.status == "FAILED" {
            object["failure_code"] = .string("PAY_FAILED")
            object["failure_msg"] = .string("the customer gave up in the wallet")
        }
        if credential { object["credential"] = .object([charge.channel: self.credential(charge)]) }
        if !charge.extra.isEmpty { object["extra"] = .object(charge.extra) }
        return object
    }

    /// The channels the sandbox's app is open for.
    static let channels: Set<String> = ["alipay_web", "wechat_csb", "lakala_web", "lakala_web_fast"]

    /// The charge's credential as Paymax writes it for its channel: WeChat's code under
    /// `qr_code`, Alipay's URL (short like Alipay's own QR links, so it fits an 80×24 till, or
    /// as long as a real gateway URL in the `..24` scenario), or lakala's HTML form.
    func credential(_ charge: PaymaxSandboxCharge) -> GatewayJSON {
        switch charge.channel {
        case "wechat_csb":
            return .object(["qr_code": .string("weixin://wxpay/bizpayurl?pr=" + charge.id.suffix(10))])
        case "lakala_web", "lakala_web_fast":
            return .string(lakalaForm(charge))
        default:
            guard charge.scenario == .longCredential else { return .string("https://qr.alipay.com/\(charge.id)") }
            return .string(alipayGatewayURL(charge))
        }
    }

    /// An Alipay PC checkout URL of a real one's length (about 500 characters): every
    /// parameter of `create_direct_pay_by_user` and an RSA signature, percent-encoded.
    func alipayGatewayURL(_ charge: PaymaxSandboxCharge) -> String {
        let yuan = PaymaxAmount.yuan(Money(minorUnits: charge.fen, currency: .cny))
        let returnURL = charge.extra.text("return_url") ?? "https://www.paymax.cc/web/service/redirect/alipay_web"
        let signature = Self.standInSignature(charge.id)
        let parameters: [(String, String)] = [
            ("_input_charset", "utf-8"), ("body", charge.body),
            ("notify_url", "https://www.paymax.cc/web/service/callback/alipay_web"), ("out_trade_no", charge.id),
            ("partner", "2088121212121212"), ("return_url", returnURL),
            ("service", "create_direct_pay_by_user"), ("subject", charge.subject),
            ("total_fee", yuan), ("sign", signature), ("sign_type", "RSA"),
        ]
        return "https://mapi.alipay.com/gateway.do?" + parameters.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// Lakala's cashier form, as in paymax-pc-web-payment.md: hidden fields a browser posts,
    /// the values written as HTML attribute text.
    func lakalaForm(_ charge: PaymaxSandboxCharge) -> String {
        let fields: [(String, String)] = [
            ("charset", "02"), ("version", "1.0"), ("signType", "RSA"), ("service", "DirectPayment"),
            ("pageReturnUrl", "https://www.paymax.cc/web/service/redirect/\(charge.channel)"),
            ("offlineNotifyUrl", "https://www.paymax.cc/web/service/callback/\(charge.channel)"),
            ("clientIP", "127.0.0.1"), ("purchaserId", charge.extra.text("user_id") ?? ""), ("merchantId", "888010048160001"),
            ("orderId", charge.id), ("totalAmount", String(charge.fen)), ("currency", "CNY"),
            ("productName", charge.subject), ("productDesc", charge.body),
            ("merchantSign", Digest.hexString(Digest.sha256(Array(charge.id.utf8)), uppercase: true)),
        ]
        let inputs = fields.map { #"<input type="hidden" name="\#($0.0)" value="\#(Self.attribute($0.1))">"# }
        return #"<form method="post" action="http://paymax.lakala.com/mrpos/cashier">"# + "\n" + inputs.joined(separator: "\n") + "\n</form>"
    }

    /// 128 bytes in base64, the length of Alipay's RSA-1024 `sign`: the sandbox's Alipay is
    /// never asked to check it.
    static func standInSignature(_ id: String) -> String {
        Base64.encode((0..<4).flatMap { Digest.sha256(Array("\(id)/\($0)".utf8)) })
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    static func attribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// What the Paymax sandbox holds for one order: for tests and trainers.
public struct PaymaxChargeSnapshot: Sendable, Equatable {
    public struct RefundLine: Sendable, Equatable {
        public var id: String
        public var status: String
        public var fen: Int64
        /// Our refund number, from the refund's metadata.
        public var refundNumber: String?
    }
    public var chargeID: String
    public var status: String
    public var fen: Int64
    public var refunds: [RefundLine]
}

extension PaymaxSandbox {
    /// The charge made under `orderNo`, with its refunds, refunds that fell due settled.
    public func charge(orderNo: String) -> PaymaxChargeSnapshot? {
        guard let id = orderIndex[orderNo], let charge = charges[id] else { return nil }
        settleRefunds(of: id)
        let lines = charge.refundIDs.compactMap { refunds[$0] }.map {
            PaymaxChargeSnapshot.RefundLine(id: $0.id, status: $0.status, fen: $0.fen, refundNumber: $0.metadata["refund_no"]?.text)
        }
        return PaymaxChargeSnapshot(chargeID: id, status: charge.status, fen: charge.fen, refunds: lines)
    }
}
