import Foundation
import HTTPTransport
import PaymaxGateway

extension PaymaxSandbox {
    /// Posts the CHARGE webhook of a paid charge; `then` runs once it is acknowledged.
    func announce(_ charge: PaymaxSandboxCharge, then: (@Sendable () async -> Void)? = nil) {
        post(type: "CHARGE", data: render(charge, credential: false), order: charge.orderNo, then: then)
    }

    /// Posts the CHARGE webhook of a paid charge that is not this merchant's (another
    /// merchant's, or of the other mode) under `charge`'s order number, signed like the rest.
    /// The sandbox keeps no record of it: asked about, it does not know it.
    func announceStranger(_ charge: PaymaxSandboxCharge, livemode: Bool, app: String) {
        var stranger = charge
        stranger.id = nextID("ch_")
        stranger.status = "SUCCEED"
        stranger.paid = Self.millis(wallClock())
        stranger.refundIDs = []
        stranger.livemode = livemode
        stranger.app = app
        logger.info("paymax sandbox announces a charge that is not this merchant's",
                    metadata: ["order_no": "\(charge.orderNo)", "charge": "\(stranger.id)", "livemode": "\(livemode)", "app": "\(app)"])
        announce(stranger)
    }

    /// Posts the REFUND webhook of a settled refund.
    func announce(_ refund: PaymaxSandboxRefund) {
        post(type: "REFUND", data: render(refund), order: refund.orderNo)
    }

    /// A webhook as pc-web-payment.md shows it (data, notifyNo, timeCreated, type), signed over
    /// the raw body in the `sign` header, retried until the answer is `success`.
    private func post(type: String, data: [String: GatewayJSON], order: String, then: (@Sendable () async -> Void)? = nil) {
        guard let deliveries, let webhookURL else { return }
        let event: [String: GatewayJSON] = [
            "data": .object(data), "notifyNo": .string(nextID("evt_")),
            "timeCreated": .number(String(Self.millis(wallClock()))), "type": .string(type),
        ]
        let body = Array(GatewayJSON.object(event).encoded.utf8)
        let sign = (try? keys.paymax.signSHA1Base64(body)) ?? ""
        Task {
            let delivered = await deliveries.deliver(body, contentType: "application/json; charset=utf-8", headers: [("sign", sign)],
                                                     to: webhookURL, order: order) { response in
                response.status == 200 && response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines) == "success"
            }
            if delivered != nil, let then { await then() }
        }
    }
}
