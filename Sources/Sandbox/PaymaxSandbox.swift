import CheckoutCore
import Foundation
import HTTPTransport
import Logging
import PaymaxGateway
import Signing

/// A simulation of Paymax's merchant API (`/merchant-api/v1/...`): requests in, signed answers
/// out, charges and refunds kept in memory.
///
/// Promises:
/// - Every request is checked as notes/paymax-signing.md says Paymax checks it: the secret
///   key in `Authorization`, a fresh timestamp, and `sign` over the composed string with the
///   training merchant's public key. A request that fails is refused (401 ILLEGAL_SIGN).
/// - Every answer is signed over `nonce\ntimestamp\nAuthorization\nbody` with the sandbox's
///   Paymax key, except the deliberate bad-signature and stale-timestamp scenarios.
/// - A charge is paid at most once; a refund never takes more than is left; only one refund
///   of a charge is PROCESSING at a time (MULTI_REFUND_RECORDS).
/// - Outcomes are chosen by the amount's cents (`PaymaxScenario`) and timed on the injected
///   `CheckoutClock`; nothing here sleeps.
/// - Webhooks (CHARGE when paid, REFUND when a refund settles) are signed over the raw body
///   and posted to `webhookURL`, retried until the answer is `success`.
public actor PaymaxSandbox {
    public nonisolated let appKey: String
    public nonisolated let secretKey: String
    /// Read when first needed, so a training till that never uses Paymax makes no keys.
    let keySource: @Sendable () -> PaymaxSandboxKeys
    nonisolated var keys: PaymaxSandboxKeys { keySource() }
    /// Signs the bad-signature scenario's answers: the merchant's key, which is not Paymax's.
    var impostor: RSAPrivateKey { keys.merchant }
    let clock: CheckoutClock
    let wallClock: @Sendable () -> Date
    let webhookURL: String?
    let deliveries: SandboxDeliveries?
    let logger: Logger

    var charges: [String: PaymaxSandboxCharge] = [:]
    /// order_no → charge id.
    var orderIndex: [String: String] = [:]
    var refunds: [String: PaymaxSandboxRefund] = [:]
    var sequence = 0

    /// The training merchant's public credentials.
    public static let trainingAppKey = TrainingCredentials.paymaxAppKey
    public static let trainingSecretKey = TrainingCredentials.paymaxSecretKey

    public init(keys: @autoclosure @escaping @Sendable () -> PaymaxSandboxKeys, appKey: String = PaymaxSandbox.trainingAppKey,
                secretKey: String = PaymaxSandbox.trainingSecretKey, clock: CheckoutClock,
                wallClock: @escaping @Sendable () -> Date = { Date() }, webhookURL: String? = nil,
                deliveries: SandboxDeliveries? = nil, logger: Logger = Logger(label: "shroff.sandbox.paymax")) {
        self.keySource = keys
        self.appKey = appKey
        self.secretKey = secretKey
        self.clock = clock
        self.wallClock = wallClock
        self.webhookURL = webhookURL
        self.deliveries = deliveries
        self.logger = logger
    }

    // MARK: Requests

    /// Handles one request to `/merchant-api/<endpoint>`.
    public func handle(_ request: SimulatedRequest) -> SandboxReply {
        let path = request.endpoint.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let authorization = request.header("Authorization") ?? ""
        if let refusal = check(request) {
            logger.info("paymax sandbox refused a request", metadata: ["path": "\(request.endpoint)", "why": "\(refusal)"])
            return answer(401, ["failure_code": .string("ILLEGAL_SIGN"), "failure_msg": .string(refusal)], authorization: authorization)
        }
        let reply: PaymaxSandboxAnswer
        switch (request.method, path.count) {
        case ("POST", 2): reply = createCharge(request.body)
        case ("GET", 3): reply = chargeAnswer(path[2])
        case ("POST", 4): reply = refund(charge: path[2], body: request.body, host: request.header("Host") ?? "127.0.0.1")
        case ("GET", 5): reply = refundAnswer(charge: path[2], refund: path[4])
        default: reply = Self.refusal("NOT_FOUND", "no such endpoint")  // the host routes only what `methods(for:)` lists
        }
        logger.info("paymax sandbox request", metadata: ["method": "\(request.method)", "path": "/merchant-api/\(request.endpoint)",
                                                         "http": "\(reply.status)"])
        switch reply.fault {
        case .hang: return .hang
        case .serverError: return .answer(status: 500, body: Array("<html>Internal Server Error</html>".utf8), contentType: "text/html")
        case .badSignature, .stale, nil: return answer(reply.status, reply.object, authorization: authorization, fault: reply.fault)
        }
    }

    /// The request's Authorization, freshness and signature; nil when all hold, else why not.
    func check(_ request: SimulatedRequest) -> String? {
        guard let authorization = request.header("Authorization"), constantTimeEquals(authorization, secretKey) else {
            return "Authorization is not the merchant's secret key"
        }
        guard let nonce = request.header("nonce"), !nonce.isEmpty, let timestamp = request.header("timestamp"),
              let sign = request.header("sign") else { return "nonce, timestamp or sign missing" }
        guard let millis = Int64(timestamp), abs(Self.millis(wallClock()) - millis) <= PaymaxSignature.freshness else {
            return "timestamp is not within 120 s"
        }
        let text = PaymaxSignature.requestText(method: request.method, uri: "/" + request.endpoint, query: request.query, nonce: nonce,
                                               timestamp: timestamp, authorization: authorization, body: request.body)
        guard keys.merchantPublic.verifySHA1(base64Signature: sign, message: text) else { return "sign does not verify" }
        return nil
    }

    /// A signed answer: `object` as compact JSON, with nonce, timestamp, the echoed
    /// Authorization and `sign` in headers.
    func answer(_ status: Int, _ object: [String: GatewayJSON], authorization: String, fault: PaymaxSandboxAnswer.Fault? = nil) -> SandboxReply {
        let body = Array(GatewayJSON.object(object).encoded.utf8)
        let nonce = (try? PaymaxSignature.nonce()) ?? "00000000000000000000000000000000"
        let when = fault == .stale ? wallClock().addingTimeInterval(-600) : wallClock()
        let timestamp = String(Self.millis(when))
        let signer = fault == .badSignature ? impostor : keys.paymax
        let text = PaymaxSignature.answerText(nonce: nonce, timestamp: timestamp, authorization: authorization, body: body)
        let sign = (try? signer.signSHA1Base64(text)) ?? ""
        return .answer(status: status, body: body, headers: [HeaderField("nonce", nonce), HeaderField("timestamp", timestamp),
                                                             HeaderField("Authorization", authorization), HeaderField("sign", sign)])
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// A new id like Paymax's: the prefix and 24 hex digits.
    func nextID(_ prefix: String) -> String {
        sequence += 1
        let random = (0..<4).map { _ in String(UInt8.random(in: 0...255), radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        let counter = String(sequence, radix: 16)
        return prefix + random + String(repeating: "0", count: 16 - counter.count) + counter
    }

    static func refusal(_ code: String, _ message: String) -> PaymaxSandboxAnswer {
        PaymaxSandboxAnswer(status: 400, object: ["failure_code": .string(code), "failure_msg": .string(message)])
    }
}

/// One endpoint's result before it is signed.
struct PaymaxSandboxAnswer {
    enum Fault { case badSignature, stale, serverError, hang }
    var status = 200
    var object: [String: GatewayJSON]
    var fault: Fault?
}

extension SimulatedRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

extension PaymaxSandbox: SimulatedGateway {
    public nonisolated var name: String { "paymax" }
    public nonisolated var pathPrefix: String { "/merchant-api/" }

    public nonisolated func methods(for endpoint: String) -> [String] {
        let path = endpoint.split(separator: "/", omittingEmptySubsequences: false)
        guard path.count >= 2, path[0] == "v1", path[1] == "charges", path.dropFirst(2).allSatisfy({ !$0.isEmpty }) else { return [] }
        switch path.count {
        case 2: return ["POST"]
        case 3: return ["GET"]
        case 4 where path[3] == "refunds": return ["POST"]
        case 5 where path[3] == "refunds": return ["GET"]
        default: return []
        }
    }

    public func customerPays(_ order: String) async -> Bool {
        if order.hasPrefix("re_") { return confirmRefund(order) }
        return payCharge(orderNo: order)
    }
}
