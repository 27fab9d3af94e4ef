import AggregatorGateway
import CheckoutCore
import Foundation
import HTTPTransport
import TestSupport

/// The merchant, order and recorded answers the aggregator's tests share.
enum Recorded {
    static let secret = "fixture-secret-0123456789"
    static let appID = "gpu10000000"
    static let order = "S261201173000ABCDEF"
    /// CNY 600.00: the amount of the seed's query example ("60000.00").
    static let amount = Money(minorUnits: 60_000, currency: .cny)
    static var reference: OrderReference { OrderReference(orderID: try! OrderID(order), wallet: .wechat, amount: amount) }

    /// A recorded answer (a file in Fixtures/) as the transport would give it.
    static func answer(_ name: String, status: Int = 200) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: status, body: bytes(name)))
    }

    static func bytes(_ name: String) -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
        guard let url, let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(name)") }
        return Array(data)
    }

    static func account(baseURL: String = "https://pay.example.cn", secret: String = Recorded.secret) -> AggregatorAccount {
        AggregatorAccount(baseURL: baseURL, appID: appID, secret: secret, notifyURL: "https://shop.example.cn/notify/aggregator",
                          returnURL: "https://shop.example.cn/")
    }

    static func gateway(_ transport: RecordingTransport, baseURL: String = "https://pay.example.cn",
                        logs: CapturedLogs = CapturedLogs()) -> AggregatorGateway {
        AggregatorGateway(account: account(baseURL: baseURL), transport: transport, logger: logs.logger())
    }

    /// The parameters of a form body or a query string.
    static func form(_ text: String) -> [String: String] {
        FormEncoding.decode(Array(text.utf8)) ?? [:]
    }

    static func form(_ request: HTTPRequest) -> [String: String] {
        if request.method == "GET" { return form(String(request.url.drop { $0 != "?" }.dropFirst())) }
        return form(String(decoding: request.body, as: UTF8.self))
    }
}
