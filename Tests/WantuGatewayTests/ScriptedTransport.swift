import Foundation
import HTTPTransport
import Synchronization
import WantuGateway

/// A transport that answers from a script and keeps every request it was given.
final class ScriptedTransport: HTTPTransport {
    private let replies: Mutex<[Result<HTTPResponse, TransportError>]>
    private let requests = Mutex<[HTTPRequest]>([])

    init(_ replies: [Result<HTTPResponse, TransportError>]) {
        self.replies = Mutex(replies)
    }

    convenience init(fixtures names: String...) {
        self.init(names.map { .success(HTTPResponse(status: 200, body: Fixture.bytes($0))) })
    }

    var sent: [HTTPRequest] { requests.withLock { $0 } }

    /// The parameters of the n-th request, as Wantu would read them.
    func parameters(_ index: Int) -> [String: String] {
        WantuWire.signingParameters(WantuWire.decodeObject(sent[index].body) ?? [:]).merging(
            ["sign": (WantuWire.decodeObject(sent[index].body)?["sign"]?.text) ?? ""], uniquingKeysWith: { a, _ in a })
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        requests.withLock { $0.append(request) }
        let next = replies.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { throw .failed("the script has no more replies") }
        return try next.get()
    }
}

enum Fixture {
    static let key = "fixture-key-0123456789"
    static let order = "S261122101010ABCDEF"

    static func bytes(_ name: String) -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")
        guard let url, let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(name)") }
        return Array(data)
    }
}
