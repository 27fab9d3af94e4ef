import CloudPayGateway
import Foundation
import HTTPTransport
import Synchronization

/// Answers each request with the next scripted reply (the last one again when the script runs
/// out) and keeps every request, so a test can read what went on the wire.
final class RecordingTransport: HTTPTransport {
    private let script: [Result<HTTPResponse, TransportError>]
    private let requests = Mutex<[HTTPRequest]>([])

    init(_ script: Result<HTTPResponse, TransportError>...) {
        self.script = script
    }

    /// Answers every request with the recorded answer `name` (HTTP 200).
    convenience init(recorded name: String) {
        self.init(.success(HTTPResponse(status: 200, body: Recorded.bytes(name))))
    }

    var sent: [HTTPRequest] { requests.withLock { $0 } }

    /// The form fields of the n-th request.
    func form(_ index: Int) -> [String: String] {
        CloudPayForm.decode(sent[index].body) ?? [:]
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let index = requests.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return try script[min(index, script.count - 1)].get()
    }
}

/// Recorded CloudPay answers, beside the tests.
enum Recorded {
    static let order = "S261122101010ABCDEF"
    static let appKey = "098f6bcd4621d373cade4e832627b4f6"
    static let secret = "fixture-secret-0123456789"

    static func bytes(_ name: String) -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
        guard let url, let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(name)") }
        return Array(data)
    }
}
