import CheckoutCore
import HTTPTransport

extension PaymaxGateway {
    /// The metadata key that carries our refund number: Paymax takes no merchant refund
    /// number, so this is how a refund is recognised when its answer was lost.
    static let refundNumberKey = "refund_no"

    /// Refunds under `request.refundID` at most once.
    ///
    /// Paymax takes no merchant refund number, so a retry finds an earlier attempt in one of
    /// two ways before anything is sent again:
    /// - Paymax's `re_…` id is known (an earlier answer gave it): that refund is asked about
    ///   (`GET /v1/charges/{charge}/refunds/{refund}`, the seed's 查询退款) and nothing is sent.
    /// - Otherwise the charge is read and its `refunds` searched for one carrying our number
    ///   (in `metadata`). One that could be ours but cannot say so (no readable number, the same
    ///   amount, not another refund the ledger holds) leaves the refund in doubt: sending again
    ///   could refund twice, and calling it declined would free the amount for a second refund.
    ///
    /// When the charge cannot be read, nothing is sent (in doubt). A refund of the charge still
    /// processing blocks a new one, as Paymax would (`MULTI_REFUND_RECORDS`). "Declined" is only
    /// ever a refusal that leaves nothing refunded under this number.
    public func refund(_ request: RefundRequest) async -> RefundVerdict {
        let order = request.order.orderID.rawValue
        guard let chargeID = request.order.gatewayTradeID else {
            return .declined("the till does not know Paymax's charge id for order \(order); refund it in Paymax's back office")
        }
        if let refundID = request.gatewayRefundID {
            return await refundQuery(refundID, charge: chargeID, expected: request)
        }
        switch await call("GET", "/v1/charges/\(chargeID)", .idempotent, order: order) {
        case .untrusted(let why, _):
            return .inDoubt("could not check for an earlier refund before sending (\(why)); nothing was sent")
        case .verified(let status, let charge):
            if let failure = PaymaxFailure(charge, status: status) {
                // Refused to read the charge is not refused to refund: an earlier attempt may stand.
                return request.mayHaveBeenSent ? .inDoubt("Paymax answered \(failure.words) when asked for the charge; nothing was sent")
                                               : refundRefusal(failure)
            }
            guard charge.text("id") == chargeID, charge.text("order_no") == order else {
                return .inDoubt("Paymax's answer names another charge; nothing was sent")
            }
            let refunds = Self.refundList(charge["refunds"])
            if let earlier = refunds.first(where: { Self.refundNumber($0) == request.refundID.rawValue }) {
                return refundVerdict(earlier, expected: request)
            }
            if request.mayHaveBeenSent {
                let unnamed = refunds.filter { Self.couldBe($0, request) }.map { $0.text("id") ?? "(no id)" }
                if !unnamed.isEmpty {
                    return .inDoubt("Paymax lists refund \(unnamed.joined(separator: ", ")) of \(request.amount) on this charge without our refund number, so it may be this one; nothing was sent again. Compare it in Paymax's back office before refunding by other means")
                }
            }
            if let processing = refunds.first(where: { $0.text("status")?.uppercased() == "PROCESSING" }) {
                return .declined("Paymax is still processing another refund of this order (\(processing.text("id") ?? "?")); only one may be processing at a time (MULTI_REFUND_RECORDS). Try again once it has settled")
            }
        }
        let body = GatewayJSON.ordered([
            ("amount", .number(PaymaxAmount.yuan(request.amount))),
            ("description", .string(String("Refund \(request.refundID.rawValue): \(request.reason)".prefix(300)))),
            ("metadata", .object([Self.refundNumberKey: .string(request.refundID.rawValue)])),
        ])
        switch await call("POST", "/v1/charges/\(chargeID)/refunds", .changesMoney, body: body, order: order) {
        case .untrusted(let why, false):
            return .declined("Paymax could not be reached: \(why)")
        case .untrusted(let why, true):
            return .inDoubt(why)
        case .verified(let status, let refund):
            if let failure = PaymaxFailure(refund, status: status) { return refundRefusal(failure) }
            return refundVerdict(refund, expected: request)
        }
    }

    /// `GET /v1/charges/{charge}/refunds/{refund}`: where a refund Paymax numbered stands. Any
    /// refusal of the question is in doubt: it says nothing of the refund itself.
    func refundQuery(_ refundID: String, charge chargeID: String, expected request: RefundRequest) async -> RefundVerdict {
        switch await call("GET", "/v1/charges/\(chargeID)/refunds/\(refundID)", .idempotent, order: request.order.orderID.rawValue) {
        case .untrusted(let why, _):
            return .inDoubt("could not ask Paymax about refund \(refundID) (\(why)); nothing was sent")
        case .verified(let status, let refund):
            if let failure = PaymaxFailure(refund, status: status) {
                return .inDoubt("Paymax answered \(failure.words) when asked about refund \(refundID); nothing was sent")
            }
            guard refund.text("id") == refundID, refund.text("charge").map({ $0 == chargeID }) ?? true else {
                return .inDoubt("Paymax's answer names another refund than \(refundID); nothing was sent")
            }
            return refundVerdict(refund, expected: request)
        }
    }

    /// True when a listed refund may be the one `request` retries: it carries no refund number
    /// of ours, is not one the ledger knows as another, and is for the same amount (or one that
    /// cannot be read). A FAILED one moved no money, so sending again cannot make it twice.
    static func couldBe(_ refund: [String: GatewayJSON], _ request: RefundRequest) -> Bool {
        guard refundNumber(refund) == nil, refund.text("status")?.uppercased() != "FAILED" else { return false }
        if let id = refund.text("id"), request.otherGatewayRefundIDs.contains(id) { return false }
        guard let amount = refund.text("amount").flatMap(PaymaxAmount.money) else { return true }
        return amount == request.amount
    }

    /// What a Refund object (an answer, an entry of a charge's `refunds`, a webhook's `data`) says.
    func refundVerdict(_ refund: [String: GatewayJSON], expected request: RefundRequest) -> RefundVerdict {
        if let number = Self.refundNumber(refund), number != request.refundID.rawValue {
            return .inDoubt("Paymax's refund carries another refund number (\(number))")
        }
        if let amount = refund.text("amount"), PaymaxAmount.money(amount) != request.amount {
            return .inDoubt("Paymax's refund is for \(amount) yuan, not \(request.amount)")
        }
        return Self.refundVerdict(refund)
    }

    /// The verdict of a Refund object's status; the amount is checked against the request by the caller.
    static func refundVerdict(_ refund: [String: GatewayJSON]) -> RefundVerdict {
        guard let refundID = refund.text("id") else { return .inDoubt("Paymax's refund has no id") }
        switch refund.text("status")?.uppercased() {
        case "SUCCEED":
            return .refunded(gatewayRefundID: refundID)
        case "PROCESSING":
            let extra = refund["extra"]?.object
            return .processing(gatewayRefundID: refundID, confirmationURL: extra?.text("refundUrl") ?? extra?.text("refund_url"))
        case "FAILED":
            let words = [refund.text("failure_code"), refund.text("failure_msg")].compactMap { $0 }.joined(separator: ": ")
            return .declined("Paymax refused the refund (\(words.isEmpty ? "FAILED" : words))")
        case let other:
            return .inDoubt("Paymax reports refund status \(other ?? "(none)")")
        }
    }

    func refundRefusal(_ failure: PaymaxFailure) -> RefundVerdict {
        switch failure.kind {
        case .refundProcessing:
            return .declined("Paymax is still processing an earlier refund of this order (\(failure.words)); only one may be processing at a time. Try again once it has settled")
        case .amount:
            return .declined("Paymax refused the refund amount (\(failure.words)); check what is left to refund")
        case .configuration:
            return .rejected(failure.problem)
        case .orderNumberUsed, .other:
            return .inDoubt("Paymax answered \(failure.words)")
        }
    }

    /// A charge's `refunds`: a list of Refund objects (or, as some answers wrap lists, `{"data": [...]}`).
    static func refundList(_ value: GatewayJSON?) -> [[String: GatewayJSON]] {
        switch value {
        case .array(let items)?: items.compactMap(\.object)
        case .object(let wrapper)?: refundList(wrapper["data"])
        default: []
        }
    }

    /// Our refund number, from the refund's metadata.
    static func refundNumber(_ refund: [String: GatewayJSON]) -> String? {
        refund["metadata"]?.object?.text(refundNumberKey)
    }
}
