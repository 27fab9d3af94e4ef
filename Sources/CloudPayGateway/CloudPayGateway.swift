import CheckoutCore
import Foundation
import HTTPTransport
import Logging

/// CloudPay (seed: cloudpay-api.md) behind the `PaymentGateway` protocol: QR orders whose
/// payment is known only from CloudPay's signed notification.
///
/// CloudPay has no query, no refund, no cancel or close, and its answers are unsigned; so
/// `capabilities` are QR pay and notifications only, the default "unsupported" answers stand
/// for the rest (nothing is sent), and a creation answer can draw a code but never say paid.
/// Amounts cross into CloudPay's format ("12.30" yuan) here and nowhere else.
public struct CloudPayGateway: PaymentGateway {
    public let name = "cloudpay"
    public let displayName = "CloudPay"
    public let refundAdvice = "refund this order in CloudPay's merchant back office"
    public let capabilities: GatewayCapabilities = [.qrPay, .notifications]

    let account: CloudPayAccount
    let transport: any HTTPTransport
    let logger: Logger

    public init(account: CloudPayAccount, transport: any HTTPTransport, logger: Logger = Logger(label: "shroff.cloudpay")) {
        self.account = account
        self.transport = transport
        self.logger = logger
    }

    public func wallets(for method: PaymentMethod) -> [Wallet] {
        method == .qr ? account.wallets : []
    }

    public func createQR(_ request: QRPayRequest) async -> QRCreation {
        guard let price = CloudPayPrice.text(request.amount) else {
            return .failed(.rejected(GatewayProblem(code: "CURRENCY", message: "CloudPay charges in CNY only, and this order is in \(request.amount.currency.code): set [store] currency = \"CNY\"")))
        }
        guard account.wallets.contains(request.wallet) else {
            return .failed(.rejected(GatewayProblem(code: "TYPE", message: "\(request.wallet.displayName) is not in [providers.cloudpay] types")))
        }
        var fields: [String: String] = [
            "appkey": account.appKey,
            "price": price,
            "type": request.wallet.cloudPayType,
            "out_order_id": request.orderID.rawValue,
            "custom": Self.custom(request.subject),
        ]
        fields["sign"] = CloudPaySignature.sign(fields, order: CloudPaySignature.createFields, secret: account.appSecret)
        let body = CloudPayForm.encode((CloudPaySignature.createFields + ["sign"]).map { ($0, fields[$0] ?? "") })
        let http = HTTPRequest(
            url: "\(account.baseURL)/api/cloudpay/create",
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"), (name: "Accept", value: "application/json")],
            body: body, timeout: account.requestTimeout, effect: .changesMoney)
        let answer: CloudPayAnswer
        do {
            answer = CloudPayAnswer(response: try await transport.send(http), sent: fields)
        } catch {
            logger.warning("cloudpay create: no answer", metadata: ["order": "\(request.orderID)", "why": "\(error)"])
            guard error.requestMayHaveArrived else {
                return .failed(.declined(Decline(.gatewayUnreachable, gatewayMessage: error.description)))
            }
            return .failed(.inDoubt(error.description))
        }
        switch answer {
        case .created(let payURL):
            logger.info("cloudpay create", metadata: ["order": "\(request.orderID)", "code": "100"])
            return .created(payload: payURL)
        case .refused(let code, let message):
            logger.warning("cloudpay create refused", metadata: ["order": "\(request.orderID)", "code": "\(code.rawValue)", "msg": "\(message)"])
            return .failed(code.verdict)
        case .unclear(let why):
            logger.warning("cloudpay create: no usable answer", metadata: ["order": "\(request.orderID)", "why": "\(why)"])
            return .failed(.inDoubt(why))
        }
    }

    /// CloudPay's `custom` (the merchant's own words about the order, signed): the sale's
    /// subject, or "Purchase" when there is none, at most 64 characters.
    static func custom(_ subject: String) -> String {
        let trimmed = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "Purchase" : String(trimmed.prefix(64))
    }
}
