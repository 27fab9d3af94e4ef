import Foundation
import HTTPTransport

/// An answer of the aggregator's JSON API (unified order, check_order), read but not yet
/// judged. The aggregator signs none of them: whether a word of it may be believed depends on
/// the channel (`AggregatorAccount.answersAreAuthentic`), which the gateway decides.
struct AggregatorAnswer {
    /// `status`: "1" success, "0" failure (the seed writes it as a string; a number is read alike).
    var status: String?
    /// `message`, in the aggregator's words (Chinese, maybe \u-escaped in the JSON).
    var message: String
    /// The `data` object's scalar values as text; empty when `data` is absent, null or a list.
    var data: [String: String]

    /// Reads a 2xx body; nil when it is not a JSON object (or names a key twice). Numbers keep
    /// the text they were written in ("60000.00"), never passing through a `Double`.
    init?(body: [UInt8]) {
        guard let object = GatewayJSON.parse(body)?.object else { return nil }
        status = object.text("status")
        message = object.text("message") ?? ""
        data = (object["data"]?.object ?? [:]).compactMapValues(\.text)
    }

    /// `data[name]` when present and not empty.
    func field(_ name: String) -> String? {
        guard let value = data[name], !value.isEmpty else { return nil }
        return value
    }
}

/// What one exchange with the aggregator gave: an answer to judge, or why there is none.
enum AggregatorExchange {
    case answered(AggregatorAnswer)
    /// No answer to judge by: the transport failed, the server erred, or the body is not JSON.
    case noAnswer(why: String, requestMayHaveArrived: Bool)

    init(_ result: Result<HTTPResponse, TransportError>) {
        switch result {
        case .failure(let error):
            self = .noAnswer(why: error.description, requestMayHaveArrived: error.requestMayHaveArrived)
        case .success(let response):
            guard (200..<300).contains(response.status) else {
                self = .noAnswer(why: "HTTP \(response.status) from the aggregator", requestMayHaveArrived: true)
                return
            }
            guard let answer = AggregatorAnswer(body: response.body) else {
                self = .noAnswer(why: "the aggregator's answer is not a JSON object", requestMayHaveArrived: true)
                return
            }
            self = .answered(answer)
        }
    }
}
