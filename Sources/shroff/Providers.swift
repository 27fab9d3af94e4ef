import CheckoutCore
import Config
import Foundation
import HTTPTransport
import Logging
import Sandbox
import WantuGateway

/// One payment gateway as the command line wires it: built from its `[providers.NAME]` table,
/// or, in training mode, from its simulator started inside the process.
///
/// Adding a gateway is one conformance here and one line in `Providers.all`; the checkout,
/// the screen, the receiver and the commands find it through this list.
protocol GatewayProvider: Sendable {
    /// The NAME of `[providers.NAME]`, `checkout.provider`, the ledger's `provider` column and
    /// the receiver's route `/notify/NAME`.
    var name: String { get }
    /// The gateway configured in `configuration`; nil when it has no table there.
    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)?
    /// Starts the gateway's simulator over loopback HTTP. It posts each order's notification
    /// to the order's `notify_url`, which the gateway it makes sends.
    func startTraining(_ configuration: ShroffConfiguration, transport: any HTTPTransport,
                       verbose: Bool) async throws -> TrainingSimulator
}

/// A simulator this process runs, and gateways pointed at it.
struct TrainingSimulator: Sendable {
    /// A gateway to the simulator whose orders announce themselves to `notifyURL`.
    let gateway: @Sendable (_ notifyURL: String) -> any PaymentGateway
    let stop: @Sendable () async -> Void
}

enum Providers {
    static let all: [any GatewayProvider] = [WantuProvider()]

    static func named(_ name: String) -> (any GatewayProvider)? { all.first { $0.name == name } }
}

struct WantuProvider: GatewayProvider {
    let name = "wantu"

    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)? {
        guard let wantu = configuration.wantu else { return nil }
        let account = WantuAccount(baseURL: wantu.baseURL, merchantAccount: wantu.merchantAccount, storeAccount: wantu.storeAccount,
                                   key: wantu.key.reveal(), notifyURL: wantu.notifyURL, deviceSN: wantu.deviceSN,
                                   currency: configuration.store.currency, timeZone: configuration.store.timeZone,
                                   requestTimeout: configuration.checkout.requestTimeout)
        return WantuGateway(account: account, transport: transport)
    }

    func startTraining(_ configuration: ShroffConfiguration, transport: any HTTPTransport,
                       verbose: Bool) async throws -> TrainingSimulator {
        let training = SandboxAccount.training
        // Its orders are kept beside the training ledger, so a refund or a status in a later run finds them.
        let stateFile = URL(fileURLWithPath: configuration.store.ledgerPath).deletingLastPathComponent()
            .appendingPathComponent("training-sandbox.json").path
        var deliveryLogger = Logger(label: "shroff.sandbox.notify")
        deliveryLogger.logLevel = verbose ? .info : .critical
        let deliveries = SandboxDeliveries(transport: try CurlTransport(), clock: .continuous, logger: deliveryLogger)
        let service = WantuSandbox(account: training, clock: .continuous, logger: Logger(label: "shroff.sandbox"),
                                   stateFile: stateFile, deliveries: deliveries)
        // The server's own messages (such as closing connections at exit) are not the cashier's concern.
        var serverLogger = Logger(label: "shroff.sandbox.http")
        serverLogger.logLevel = verbose ? .info : .critical
        let sandbox = try await SandboxServer.start(service, logger: serverLogger)
        let timeout = configuration.checkout.requestTimeout
        return TrainingSimulator(gateway: { notifyURL in
            let account = WantuAccount(baseURL: sandbox.baseURL, merchantAccount: training.merchantAccount,
                                       storeAccount: training.storeAccount, key: training.key, notifyURL: notifyURL,
                                       currency: training.currency, timeZone: training.timeZone, requestTimeout: timeout)
            return WantuGateway(account: account, transport: transport)
        }, stop: { await sandbox.stop() })
    }
}
