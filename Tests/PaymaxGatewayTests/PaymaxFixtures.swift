import CheckoutCore
import Foundation
import HTTPTransport
@testable import PaymaxGateway
import Signing
import Synchronization

/// The recorded answers of Fixtures/ (made by make-fixtures.py, signed with Python's
/// `cryptography`, not with this code) and the account they were made for.
enum Recorded {
    static let secret = "sk_fixture_0123456789abcdef"
    static let order = "S261122101010ABCDEF"
    static let charge = "ch_57bede9f23b3d17b3d89438c"
    /// The instant the fixtures were signed at: the tests' clock.
    static let now = Date(timeIntervalSince1970: 1_764_590_400)
    static let amount = Money(minorUnits: 1230, currency: .cny)

    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    }

    static func text(_ name: String) -> String { (try? String(contentsOf: url(name), encoding: .utf8)) ?? "" }

    /// A recorded answer (`name`.json: status, headers, body).
    static func response(_ name: String) -> HTTPResponse {
        struct Envelope: Decodable { var status: Int; var headers: [String: String]; var body: String }
        let envelope = try! JSONDecoder().decode(Envelope.self, from: Data(contentsOf: url(name + ".json")))
        return HTTPResponse(status: envelope.status, headers: Dictionary(uniqueKeysWithValues: envelope.headers.map { ($0.key.lowercased(), $0.value) }),
                            body: Array(envelope.body.utf8))
    }

    /// A recorded webhook as the receiver hands it over.
    static func webhook(_ name: String) -> IncomingNotification {
        let response = response(name)
        return IncomingNotification(headers: [("Content-Type", "application/json"), ("Sign", response.header("sign") ?? "")], body: response.body)
    }

    /// The merchant key: the published test key of Paymax's Java SDK (see PaymaxSigningTests).
    static let merchantKey = try! RSAPrivateKey(pem: PaymaxSigningTests.PublishedVector.privateKey)
    static let paymaxKey = try! RSAPublicKey(pem: text("paymax-public.pem"))

    static func account(channels: [String] = ["alipay_web"]) -> PaymaxAccount {
        PaymaxAccount(baseURL: "https://www.paymax.cc/merchant-api", appKey: "app_fixture", secretKey: secret, livemode: false,
                      merchantKey: merchantKey, paymaxKey: paymaxKey, channels: channels, timeExpire: .seconds(180),
                      returnURL: "https://shop.example/paid")
    }

    static func gateway(_ transport: some HTTPTransport, now: Date = Recorded.now) -> PaymaxGateway {
        PaymaxGateway(account: account(), transport: transport, now: { now })
    }

    static var reference: OrderReference {
        OrderReference(orderID: try! OrderID(order), wallet: .alipay, amount: amount, gatewayTradeID: charge)
    }
}

/// A transport that answers from a script and keeps every request it was given.
final class ScriptedTransport: HTTPTransport {
    private let replies: Mutex<[Result<HTTPResponse, TransportError>]>
    private let requests = Mutex<[HTTPRequest]>([])

    init(_ replies: [Result<HTTPResponse, TransportError>]) { self.replies = Mutex(replies) }
    convenience init(recorded names: String...) { self.init(names.map { .success(Recorded.response($0)) }) }

    var sent: [HTTPRequest] { requests.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        requests.withLock { $0.append(request) }
        let next = replies.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw .failed("the script has no more replies") }
        return try next.get()
    }
}

extension HTTPRequest {
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
