import CloudPayGateway
import Foundation
import HTTPTransport
import TestSupport

extension RecordingTransport {
    /// Answers each request with the next scripted reply (the last one again when the script
    /// runs out).
    convenience init(_ script: Result<HTTPResponse, TransportError>...) {
        self.init { _, index in script[min(index, script.count - 1)] }
    }

    /// Answers every request with the recorded answer `name` (HTTP 200).
    convenience init(recorded name: String) {
        self.init(.success(HTTPResponse(status: 200, body: Recorded.bytes(name))))
    }

    /// The form fields of the n-th request.
    func form(_ index: Int) -> [String: String] {
        CloudPayForm.decode(sent[index].body) ?? [:]
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
