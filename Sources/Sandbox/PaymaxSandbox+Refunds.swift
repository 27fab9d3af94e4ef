import CheckoutCore
import Foundation
import HTTPTransport
import PaymaxGateway

/// A refund as the Paymax sandbox keeps it.
struct PaymaxSandboxRefund: Sendable {
    var id: String
    var chargeID: String
    var orderNo: String
    var fen: Int64
    var description: String
    var metadata: [String: GatewayJSON]
    var status: String
    var created: Int64
    var succeeded: Int64?
    /// When a processing refund succeeds by itself (on the sandbox clock).
    var settlesAt: Duration?
    var confirmationURL: String?
    /// The charge's `refunds` show it without `metadata` (scenarios `..10`, `..11`).
    var listedWithoutMetadata = false
}

extension PaymaxSandbox {
    /// `POST /v1/charges/{id}/refunds`.
    func refund(charge id: String, body: [UInt8], host: String) -> PaymaxSandboxAnswer {
        guard let charge = charges[id] else { return Self.refusal("ORDER_NOT_EXIST", "no charge \(id)") }
        settleRefunds(of: id)
        guard let request = GatewayJSON.parse(body)?.object else { return Self.refusal("PARAM_ERROR", "the body is not a JSON object") }
        guard request.text("description") != nil else { return Self.refusal("PARAM_ERROR", "description is required") }
        guard charge.status == "SUCCEED" else { return Self.refusal("ORDER_NOT_PAID", "charge \(id) is \(charge.status)") }
        let existing = charge.refundIDs.compactMap { refunds[$0] }
        guard !existing.contains(where: { $0.status == "PROCESSING" }) else {
            return Self.refusal("MULTI_REFUND_RECORDS", "a refund of this charge is still processing")
        }
        let taken = existing.filter { $0.status != "FAILED" }.reduce(Int64(0)) { $0 + $1.fen }
        let fen: Int64
        if let written = request["amount"] {
            guard case .number(let text) = written, let amount = PaymaxAmount.money(text), amount.minorUnits > 0 else {
                return Self.refusal("AMOUNT_ERROR", "amount must be a number of yuan greater than 0")
            }
            fen = amount.minorUnits
        } else {
            fen = charge.fen - taken
        }
        guard fen <= charge.fen - taken else { return Self.refusal("REFUND_AMOUNT_ERROR", "more than is left to refund") }
        let now = Self.millis(wallClock())
        var refund = PaymaxSandboxRefund(id: nextID("re_"), chargeID: id, orderNo: charge.orderNo, fen: fen,
                                         description: request.text("description") ?? "", metadata: request["metadata"]?.object ?? [:],
                                         status: "SUCCEED", created: now)
        var answer = PaymaxSandboxAnswer(object: [:])
        let scenario = PaymaxScenario(fen: fen)
        switch scenario {
        case .refundProcessingThenSucceeded:
            refund.status = "PROCESSING"
            refund.settlesAt = clock.now() + PaymaxScenario.refundSettleDelay
        case .refundListedWithoutMetadata, .refundListedWithoutMetadataAnswerLost:
            refund.status = "PROCESSING"
            refund.settlesAt = clock.now() + PaymaxScenario.refundSettleDelay
            refund.listedWithoutMetadata = true
            if scenario == .refundListedWithoutMetadataAnswerLost { answer.fault = .hang }
        case .refundNeedsConfirmation:
            refund.status = "PROCESSING"
            refund.confirmationURL = "http://\(host)/sandbox/pay/\(refund.id)"
        case .refundAnswerLost:
            answer.fault = .hang
        default:
            break
        }
        if refund.status == "SUCCEED" { refund.succeeded = now }
        refunds[refund.id] = refund
        charges[id]?.refundIDs.append(refund.id)
        answer.object = render(refund)
        if refund.status == "SUCCEED" { announce(refund) } else { settleLater(refund) }
        return answer
    }

    /// The owner refunds part of a paid charge in Paymax's back office (`..23`): no metadata,
    /// nothing the till asked for; its REFUND webhook is posted like any other.
    func refundInBackOffice(charge id: String) {
        guard let charge = charges[id], charge.status == "SUCCEED" else { return }
        let now = Self.millis(wallClock())
        let refund = PaymaxSandboxRefund(id: nextID("re_"), chargeID: id, orderNo: charge.orderNo,
                                         fen: min(PaymaxScenario.backOfficeRefundFen, charge.fen), description: "退款 (back office)",
                                         metadata: [:], status: "SUCCEED", created: now, succeeded: now)
        refunds[refund.id] = refund
        charges[id]?.refundIDs.append(refund.id)
        logger.info("paymax sandbox refund made in the back office", metadata: ["order_no": "\(charge.orderNo)", "refund": "\(refund.id)"])
        announce(refund)
    }

    /// `GET /v1/charges/{id}/refunds/{rid}`.
    func refundAnswer(charge id: String, refund refundID: String) -> PaymaxSandboxAnswer {
        settleRefunds(of: id)
        guard let refund = refunds[refundID], refund.chargeID == id else {
            return PaymaxSandboxAnswer(status: 404, object: ["failure_code": .string("REFUND_NOT_EXIST"), "failure_msg": .string("no refund \(refundID) of \(id)")])
        }
        return PaymaxSandboxAnswer(object: render(refund))
    }

    /// The owner confirmed an Alipay refund on the phone.
    func confirmRefund(_ id: String) -> Bool {
        guard var refund = refunds[id], refund.status == "PROCESSING", refund.confirmationURL != nil else { return false }
        refund.status = "SUCCEED"
        refund.succeeded = Self.millis(wallClock())
        refunds[id] = refund
        announce(refund)
        return true
    }

    /// Processing refunds of `charge` whose time has come succeed (each announced once).
    func settleRefunds(of charge: String) {
        let now = clock.now()
        for id in charges[charge]?.refundIDs ?? [] {
            guard var refund = refunds[id], refund.status == "PROCESSING", let due = refund.settlesAt, due <= now else { continue }
            refund.status = "SUCCEED"
            refund.succeeded = Self.millis(wallClock())
            refunds[id] = refund
            announce(refund)
        }
    }

    /// Settles a processing refund when it falls due, so its webhook goes without a query.
    /// Without webhooks to send, the next look at the charge settles it (`settleRefunds`).
    func settleLater(_ refund: PaymaxSandboxRefund) {
        guard deliveries != nil, webhookURL != nil, let due = refund.settlesAt else { return }
        let wait = max(.zero, due - clock.now()), charge = refund.chargeID
        Task { [clock] in
            guard (try? await clock.sleep(wait)) != nil else { return }
            self.settleRefunds(of: charge)
        }
    }

    /// A Refund object as a charge's `refunds` list it.
    func listed(_ refund: PaymaxSandboxRefund) -> [String: GatewayJSON] {
        var object = render(refund)
        if refund.listedWithoutMetadata { object["metadata"] = nil }
        return object
    }

    /// A Refund object as Paymax writes it.
    func render(_ refund: PaymaxSandboxRefund) -> [String: GatewayJSON] {
        var object: [String: GatewayJSON] = [
            "id": .string(refund.id), "charge": .string(refund.chargeID), "order_no": .string(refund.orderNo),
            "amount": .number(PaymaxAmount.yuan(Money(minorUnits: refund.fen, currency: .cny))),
            "description": .string(refund.description), "metadata": .object(refund.metadata),
            "status": .string(refund.status), "time_created": .number(String(refund.created)),
        ]
        if let succeeded = refund.succeeded { object["time_succeed"] = .number(String(succeeded)) }
        if let url = refund.confirmationURL { object["extra"] = .object(["refundUrl": .string(url)]) }
        return object
    }
}
