import CheckoutCore
import Foundation
import HTTPTransport

/// The rules written on `PaymentGateway`, as checks every gateway's tests run.
///
/// A gateway's test target supplies a `GatewayConformanceHarness`: gateways whose next answer
/// is scripted (over its own fake transport), notifications it can sign, and the secrets that
/// must never show. `GatewayConformance.problems(_:)` returns every rule broken, in words; an
/// empty list is a pass. The suite knows nothing of any gateway's wire format.
public protocol GatewayConformanceHarness: Sendable {
    /// The order every scripted answer is about, and its amount.
    var order: OrderReference { get }
    /// A gateway whose every answer, to any request, is `answer`.
    func gateway(answering answer: ScriptedAnswer) -> any PaymentGateway
    /// A notification of `order` paid for `amount`, signed as the gateway signs (or not).
    func notification(paid amount: Money, signed: Bool) -> IncomingNotification
    /// Keys and full payment codes the harness used: none may appear in a verdict or a log.
    var secrets: [String] { get }
    /// Everything the gateways made by this harness logged so far.
    var logText: String { get }
    /// The refund number each refund request sent so far carried, in order, as the gateway
    /// wrote it on the wire (Wantu's `out_refund_no`).
    var refundNumbersSent: [String] { get }
    /// Every request the gateways made by this harness have put on the wire so far, in order,
    /// as the gateway built it.
    var sentRequests: [HTTPRequest] { get }
    /// True when the gateway has no merchant refund number and must look for an earlier refund
    /// before sending one (Paymax): then an unanswered look-up must send no refund at all.
    var refundLooksBeforeSending: Bool { get }
    /// True for a request that a money-changing call sends only to read where things stand
    /// before acting (Paymax reads the charge before a refund): it may go out `.idempotent`.
    /// None by default.
    func isLookUp(_ request: HTTPRequest) -> Bool
    /// `notification` with its amount changed from `original` to `other` after signing, written
    /// as the gateway writes amounts (minor units by default).
    func changing(_ notification: IncomingNotification, from original: Money, to other: Money) -> IncomingNotification
    /// A gateway whose every answer is `.paid(amount)` but names the order `other`, not
    /// `order`; nil when the harness cannot write one (that rule is then not checked).
    func gateway(answeringPaidFor other: OrderID, amount: Money) -> (any PaymentGateway)?
}

extension GatewayConformanceHarness {
    public var refundLooksBeforeSending: Bool { false }
    public func isLookUp(_ request: HTTPRequest) -> Bool { false }
    /// How many requests the gateways made by this harness have put on the wire so far.
    public var requestsSent: Int { sentRequests.count }
    public func gateway(answeringPaidFor other: OrderID, amount: Money) -> (any PaymentGateway)? { nil }
    public func changing(_ notification: IncomingNotification, from original: Money, to other: Money) -> IncomingNotification {
        var changed = notification
        changed.body = Array(String(decoding: notification.body, as: UTF8.self)
            .replacingOccurrences(of: String(original.minorUnits), with: String(other.minorUnits)).utf8)
        return changed
    }
}

/// What a scripted gateway answers.
public enum ScriptedAnswer: Sendable, Equatable {
    /// A well-signed "paid" (or "refunded") for this amount.
    case paid(Money)
    /// "paid", but signed with another key.
    case paidBadlySigned(Money)
    /// "paid", with no signature at all.
    case paidUnsigned(Money)
    /// The request timed out on the wire after it may have arrived.
    case timeout
    /// HTTP 500 with an error page.
    case serverError
    /// Bytes that are no answer at all.
    case garbage
}

public enum GatewayConformance {
    public static func problems(_ harness: some GatewayConformanceHarness) async -> [String] {
        var problems: [String] = []
        let order = harness.order
        let capabilities = harness.gateway(answering: .garbage).capabilities
        let other = Money(minorUnits: order.amount.minorUnits + 1, currency: order.amount.currency)

        // Only a verified answer may say paid; anything unclear is in doubt, never declined.
        if capabilities.contains(.query) {
            let rightlyPaid = await harness.gateway(answering: .paid(order.amount)).query(order)
            if case .paid(let confirmation) = rightlyPaid, confirmation.amount == order.amount {} else {
                problems.append("a well-signed paid answer was not read as paid: \(rightlyPaid)")
            }
            for answer in [ScriptedAnswer.paidBadlySigned(order.amount), .paidUnsigned(order.amount), .timeout, .serverError, .garbage] {
                let verdict = await harness.gateway(answering: answer).query(order)
                guard case .inDoubt = verdict else {
                    problems.append("a query answered \(answer) gave \(verdict), not in doubt")
                    continue
                }
            }
            if case .paid(let confirmation) = await harness.gateway(answering: .paid(other)).query(order), confirmation.amount == order.amount {
                problems.append("a paid answer for \(other) was read as the order's amount")
            }
        }

        // A refund's unclear answer is in doubt (to be retried under its number), never refunded;
        // and a retry carries the same number, so the gateway can refund it at most once.
        if capabilities.contains(.refund) {
            let request = RefundRequest(order: order, refundID: RefundID(order: order.orderID, sequence: 1), amount: order.amount, reason: "conformance")
            let before = harness.refundNumbersSent.count
            let retried = harness.gateway(answering: .timeout)
            _ = await retried.refund(request)
            _ = await retried.refund(request)
            let numbers = Array(harness.refundNumbersSent.dropFirst(before))
            let expected = harness.refundLooksBeforeSending ? [] : [request.refundID.rawValue, request.refundID.rawValue]
            if numbers != expected {
                problems.append("a refund retried under \(request.refundID) carried the numbers \(numbers) on the wire")
            }
            for answer in [ScriptedAnswer.paidBadlySigned(order.amount), .paidUnsigned(order.amount), .timeout, .serverError, .garbage] {
                let verdict = await harness.gateway(answering: answer).refund(request)
                guard case .inDoubt = verdict else {
                    problems.append("a refund answered \(answer) gave \(verdict), not in doubt")
                    continue
                }
            }
        }

        // Notifications: believed only when signed, and saying the same thing every time.
        if capabilities.contains(.notifications) {
            let gateway = harness.gateway(answering: .garbage)
            let signed = harness.notification(paid: order.amount, signed: true)
            let first = gateway.verifyNotification(signed)
            if case .payment(order.orderID, .paid(let confirmation)) = first, confirmation.amount == order.amount {} else {
                problems.append("a signed paid notification was not believed: \(first)")
            }
            if gateway.verifyNotification(signed) != first { problems.append("the same notification was read two ways") }
            let unsigned = gateway.verifyNotification(harness.notification(paid: order.amount, signed: false))
            guard case .forged = unsigned else {
                problems.append("an unsigned notification gave \(unsigned), not forged")
                return problems + secretsShown(harness, in: [])
            }
            let tampered = harness.changing(signed, from: order.amount, to: other)
            if tampered.body == signed.body { problems.append("the harness could not change the notification's amount") }
            if case .payment(_, .paid) = gateway.verifyNotification(tampered) {
                problems.append("a notification whose amount was changed after signing was believed")
            }
            let replies = [gateway.notificationReply(handled: true, reason: nil), gateway.notificationReply(handled: false, reason: "x")]
            if replies[0] == replies[1] { problems.append("the handled and not-handled replies are the same") }
        }

        problems += await bindingProblems(harness)
        problems += await unclearAnswerProblems(harness)
        problems += await capabilityProblems(harness)
        problems += await effectProblems(harness)

        var texts: [String] = []
        if capabilities.contains(.barcodePay) || capabilities.contains(.query) {
            texts.append("\(await harness.gateway(answering: .paidBadlySigned(order.amount)).query(order))")
        }
        return problems + secretsShown(harness, in: texts)
    }

    /// A verdict binds to our order: a well-signed answer about another order is never a
    /// payment, a QR code to show, or a refund of ours.
    private static func bindingProblems(_ harness: some GatewayConformanceHarness) async -> [String] {
        let order = harness.order
        let otherNumber = order.orderID.rawValue == "S200101000000OTHER1" ? "S200101000000OTHER2" : "S200101000000OTHER1"
        guard let other = try? OrderID(otherNumber), let code = try? PaymentCode(scanned: "134567890123456789"),
              let gateway = harness.gateway(answeringPaidFor: other, amount: order.amount) else { return [] }
        let capabilities = gateway.capabilities
        let about = "an answer about order \(other), not \(order.orderID),"
        var problems: [String] = []
        if capabilities.contains(.barcodePay) {
            let verdict = await gateway.pay(BarcodePayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", code: code))
            if case .paid = verdict { problems.append("to a payment \(about) gave \(verdict)") }
        }
        if capabilities.contains(.query) {
            let verdict = await gateway.query(order)
            if case .paid = verdict { problems.append("to a query \(about) gave \(verdict)") }
        }
        if capabilities.contains(.qrPay) {
            let creation = await gateway.createQR(QRPayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", wallet: order.wallet))
            if case .created = creation { problems.append("to a QR order \(about) gave \(creation)") }
        }
        if capabilities.contains(.refund) {
            let refund = RefundRequest(order: order, refundID: RefundID(order: order.orderID, sequence: 1), amount: order.amount, reason: "conformance")
            let verdict = await gateway.refund(refund)
            if case .refunded = verdict { problems.append("to a refund \(about) gave \(verdict)") }
        }
        return problems
    }

    /// `declined` only for a definitive refusal: a timeout, a 5xx, an answer badly signed,
    /// unsigned or unreadable never declines a payment (nor pays it), and never ends an order
    /// cancelled or closed.
    private static func unclearAnswerProblems(_ harness: some GatewayConformanceHarness) async -> [String] {
        let order = harness.order
        guard let code = try? PaymentCode(scanned: "134567890123456789") else { return ["the suite's payment code is not valid"] }
        var problems: [String] = []
        for answer in [ScriptedAnswer.paidBadlySigned(order.amount), .paidUnsigned(order.amount), .timeout, .serverError, .garbage] {
            let gateway = harness.gateway(answering: answer)
            let capabilities = gateway.capabilities
            if capabilities.contains(.barcodePay) {
                let verdict = await gateway.pay(BarcodePayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", code: code))
                switch verdict {
                case .paid, .declined: problems.append("a payment answered \(answer) gave \(verdict)")
                default: break
                }
            }
            if capabilities.contains(.qrPay) {
                let creation = await gateway.createQR(QRPayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", wallet: order.wallet))
                if case .failed(.declined) = creation { problems.append("a QR order answered \(answer) gave \(creation)") }
            }
            if capabilities.contains(.cancel), await gateway.cancel(order) == .cancelled {
                problems.append("a cancel answered \(answer) ended the order cancelled")
            }
            if capabilities.contains(.close), await gateway.close(order) == .cancelled {
                problems.append("a close answered \(answer) ended the order closed")
            }
        }
        return problems
    }

    /// `capabilities` tells the truth both ways: a call outside it is refused as unsupported
    /// with nothing on the wire, and a call inside it reaches the gateway (a capability left to
    /// the protocol's default "unsupported" would be offered to the cashier and always fail).
    private static func capabilityProblems(_ harness: some GatewayConformanceHarness) async -> [String] {
        let order = harness.order
        let gateway = harness.gateway(answering: .garbage)
        guard let code = try? PaymentCode(scanned: "134567890123456789") else { return ["the suite's payment code is not valid"] }
        let refund = RefundRequest(order: order, refundID: RefundID(order: order.orderID, sequence: 9), amount: order.amount, reason: "conformance")
        let day = (Date(timeIntervalSince1970: 1_764_547_200), Date(timeIntervalSince1970: 1_764_633_599))
        // Each call answers whether it was refused as unsupported.
        let calls: [(GatewayCapabilities, String, @Sendable () async -> Bool)] = [
            (.barcodePay, "a barcode payment", {
                await gateway.pay(BarcodePayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", code: code)) == .rejected(.unsupported)
            }),
            (.qrPay, "a QR order", {
                await gateway.createQR(QRPayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", wallet: order.wallet)) == .failed(.rejected(.unsupported))
            }),
            (.query, "a query", { await gateway.query(order) == .rejected(.unsupported) }),
            (.cancel, "a cancel", { await gateway.cancel(order) == .rejected(.unsupported) }),
            (.close, "a close", { await gateway.close(order) == .rejected(.unsupported) }),
            (.refund, "a refund", { await gateway.refund(refund) == .rejected(.unsupported) }),
            (.transactionList, "a transaction list", { await isUnsupported { () throws(GatewayError) in _ = try await gateway.transactions(from: day.0, to: day.1) } }),
            (.exchangeRate, "an exchange rate", { await isUnsupported { () throws(GatewayError) in _ = try await gateway.exchangeRate(for: order.amount.currency) } }),
            (.storeQR, "the store QR code", { await isUnsupported { () throws(GatewayError) in _ = try await gateway.storeQRCode(wallet: order.wallet) } }),
        ]
        var problems: [String] = []
        for (capability, name, call) in calls {
            let before = harness.requestsSent
            let unsupported = await call()
            let sent = harness.requestsSent - before
            if gateway.capabilities.contains(capability) {
                if unsupported { problems.append("\(name) is declared in capabilities but answers unsupported") }
                if sent == 0 { problems.append("\(name) is declared in capabilities but sends nothing") }
            } else {
                if !unsupported { problems.append("\(name) is not declared in capabilities but was not refused as unsupported") }
                if sent > 0 { problems.append("\(name) is not declared in capabilities, yet \(sent) request(s) went on the wire") }
            }
        }
        return problems
    }

    /// Every request that pays, creates a QR order, refunds, cancels or closes goes out as
    /// `.changesMoney`, so the transport never puts it on the wire twice; reads go out
    /// `.idempotent`, so the till's polls keep their connection. Each call is answered "paid",
    /// which takes it as far as it goes (past a look-up, to the request that acts).
    private static func effectProblems(_ harness: some GatewayConformanceHarness) async -> [String] {
        let order = harness.order
        let gateway = harness.gateway(answering: .paid(order.amount))
        guard let code = try? PaymentCode(scanned: "134567890123456789") else { return ["the suite's payment code is not valid"] }
        let refund = RefundRequest(order: order, refundID: RefundID(order: order.orderID, sequence: 7), amount: order.amount, reason: "conformance")
        let day = (Date(timeIntervalSince1970: 1_764_547_200), Date(timeIntervalSince1970: 1_764_633_599))
        let changing: [(GatewayCapabilities, String, @Sendable () async -> Void)] = [
            (.barcodePay, "a barcode payment", {
                _ = await gateway.pay(BarcodePayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", code: code))
            }),
            (.qrPay, "a QR order", {
                _ = await gateway.createQR(QRPayRequest(orderID: order.orderID, amount: order.amount, subject: "conformance", wallet: order.wallet))
            }),
            (.refund, "a refund", { _ = await gateway.refund(refund) }),
            (.cancel, "a cancel", { _ = await gateway.cancel(order) }),
            (.close, "a close", { _ = await gateway.close(order) }),
        ]
        let reading: [(GatewayCapabilities, String, @Sendable () async -> Void)] = [
            (.query, "a query", { _ = await gateway.query(order) }),
            (.transactionList, "a transaction list", { _ = try? await gateway.transactions(from: day.0, to: day.1) }),
            (.exchangeRate, "an exchange rate", { _ = try? await gateway.exchangeRate(for: order.amount.currency) }),
            (.storeQR, "the store QR code", { _ = try? await gateway.storeQRCode(wallet: order.wallet) }),
        ]
        var problems: [String] = []
        for (capability, name, call) in changing where gateway.capabilities.contains(capability) {
            let sent = await requests(of: harness, during: call)
            let unmarked = sent.filter { $0.effect != .changesMoney && !harness.isLookUp($0) }
            if !unmarked.isEmpty {
                problems.append("\(name) sent \(unmarked.count) request(s) marked idempotent, which the transport may send twice")
            }
            if !sent.contains(where: { $0.effect == .changesMoney }) {
                problems.append("\(name) sent no request marked as changing money")
            }
        }
        for (capability, name, call) in reading where gateway.capabilities.contains(capability) {
            if await requests(of: harness, during: call).contains(where: { $0.effect != .idempotent }) {
                problems.append("\(name) went out as changing money: each one would open a new connection")
            }
        }
        return problems
    }

    private static func requests(of harness: some GatewayConformanceHarness, during call: () async -> Void) async -> [HTTPRequest] {
        let before = harness.sentRequests.count
        await call()
        return Array(harness.sentRequests.dropFirst(before))
    }

    private static func isUnsupported(_ call: () async throws(GatewayError) -> Void) async -> Bool {
        do {
            try await call()
            return false
        } catch {
            if case .unsupported = error { return true }
            return false
        }
    }

    private static func secretsShown(_ harness: some GatewayConformanceHarness, in texts: [String]) -> [String] {
        let all = texts + [harness.logText]
        return harness.secrets.filter { secret in all.contains { $0.contains(secret) } }
            .map { _ in "a secret (key or full payment code) appeared in a verdict or a log" }
    }
}
