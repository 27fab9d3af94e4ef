import CheckoutCore
import Foundation
import HTTPTransport
import PaymaxGateway

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
        guard let channel = request.text("channel"), channel == "alipay_web" else {
            return Self.refusal("PARAM_ERROR", "channel \(request.text("channel") ?? "(none)") is not open for this app")
        }
        guard request.text("app") == appKey else { return Self.refusal("ILLEGAL_APP", "app is not this merchant's app key") }
        guard request.text("client_ip") != nil else { return Self.refusal("PARAM_ERROR", "client_ip is required") }
        guard (request.text("currency") ?? "cny").lowercased() == "cny" else { return Self.refusal("PARAM_ERROR", "currency must be cny") }
        guard request["extra"]?.object?.text("return_url") != nil else {
            return Self.refusal("PARAM_ERROR", "extra.return_url is required for alipay_web")
        }
        guard orderIndex[orderNo] == nil else { return Self.refusal("ORDER_NO_DUPLICATE", "order_no \(orderNo) already exists") }
        let now = Self.millis(wallClock())
        let expires = request.text("time_expire").flatMap { Int64($0) } ?? now + 3_600_000
        let scenario = PaymaxScenario(fen: amount.minorUnits)
        var charge = PaymaxSandboxCharge(id: nextID("ch_"), orderNo: orderNo, fen: amount.minorUnits, channel: channel, subject: subject,
                                         body: body, status: "PROCESSING", created: now, expires: expires, scenario: scenario)
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
        if credential {
            // Short, like Alipay's own QR links, so the code fits an 80×24 till.
            object["credential"] = .object([charge.channel: .string("https://qr.alipay.com/\(charge.id)")])
        }
        return object
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
