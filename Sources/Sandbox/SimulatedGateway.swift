/// One gateway's simulator, as the generic sandbox host serves it.
///
/// The host (`SandboxServer`) owns HTTP: it routes `<METHOD> <pathPrefix><endpoint>` to the
/// simulator that accepts the endpoint (405 for a method it does not take), holds hanging requests, and serves the control routes
/// (`POST /sandbox/pay/<order>`, `GET /sandbox/health`). A simulator owns the gateway's
/// rules: checking requests, keeping orders, signing answers, posting notifications
/// (through `SandboxDeliveries`) and saving its state file.
public protocol SimulatedGateway: Sendable {
    /// The gateway's name, as in `[providers.NAME]`.
    var name: String { get }
    /// Where its API lives on the host, with both slashes: "/paygate/".
    var pathPrefix: String { get }
    /// The HTTP methods the simulator takes on `endpoint`, the path after `pathPrefix`
    /// ("pospay", "v1/charges/ch_1/refunds"); empty when it does not serve it.
    func methods(for endpoint: String) -> [String]
    /// Handles one request to an endpoint it lists.
    func handle(_ request: SimulatedRequest) async -> SandboxReply
    /// A customer pays the QR order numbered `order`, as their phone would; false when it has
    /// no such QR order or it can no longer be paid.
    func customerPays(_ order: String) async -> Bool
}

/// A request as the host hands it to a simulator.
public struct SimulatedRequest: Sendable {
    public var method: String
    /// The path after the simulator's prefix: "pospay".
    public var endpoint: String
    public var headers: [(name: String, value: String)]
    public var query: String
    public var body: [UInt8]

    public init(method: String = "POST", endpoint: String, headers: [(name: String, value: String)] = [], query: String = "", body: [UInt8]) {
        self.method = method
        self.endpoint = endpoint
        self.headers = headers
        self.query = query
        self.body = body
    }
}

extension WantuSandbox: SimulatedGateway {
    public nonisolated var name: String { "wantu" }
    public nonisolated var pathPrefix: String { "/paygate/" }
    public nonisolated func methods(for endpoint: String) -> [String] {
        Self.endpoints.contains(endpoint) ? ["POST"] : []
    }

    public func handle(_ request: SimulatedRequest) async -> SandboxReply {
        handle(path: request.endpoint, body: request.body)
    }

    public func customerPays(_ order: String) async -> Bool {
        payQROrder(order)
    }
}
