import CheckoutCore
import Config
import Foundation
import HTTPTransport
import Logging
import Sandbox
import PaymaxGateway
import Signing
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
    /// The gateway's simulator, for `shroff sandbox` and training: it posts each paid order's
    /// notification to the order's `notify_url` through `deliveries`.
    func simulator(stateFile: String?, deliveries: SandboxDeliveries) -> any SimulatedGateway
    /// What a tester needs to point the gateway's table at the simulator served at `baseURL`:
    /// its path and its public training credentials.
    func simulatorGuide(hostURL: String) -> [String]
    /// A gateway to `simulator`, served at `hostURL`, announcing orders to `notifyURL`.
    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway
}

enum Providers {
    static let all: [any GatewayProvider] = [WantuProvider(), PaymaxProvider()]

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

    func simulator(stateFile: String?, deliveries: SandboxDeliveries) -> any SimulatedGateway {
        WantuSandbox(account: .training, clock: .continuous, logger: Logger(label: "shroff.sandbox"),
                     stateFile: stateFile, deliveries: deliveries)
    }

    func simulatorGuide(hostURL: String) -> [String] {
        let training = SandboxAccount.training
        return ["Wantu:  [providers.wantu] base_url = \"\(hostURL)/paygate\"",
                "        merchant_account = \"\(training.merchantAccount)\", store_account = \"\(training.storeAccount)\"",
                "        key = \"\(training.key)\"   (the sandbox's public training key)",
                "        notify_url = \"http://127.0.0.1:8787/notify/wantu\"   (a `shroff notify-server` on this machine)"]
    }

    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway {
        let training = SandboxAccount.training
        let account = WantuAccount(baseURL: hostURL + "/paygate", merchantAccount: training.merchantAccount,
                                   storeAccount: training.storeAccount, key: training.key, notifyURL: notifyURL,
                                   currency: training.currency, timeZone: training.timeZone,
                                   requestTimeout: configuration.checkout.requestTimeout)
        return WantuGateway(account: account, transport: transport)
    }
}

struct PaymaxProvider: GatewayProvider {
    let name = "paymax"

    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)? {
        guard let paymax = configuration.paymax else { return nil }
        let account = PaymaxAccount(baseURL: paymax.baseURL, appKey: paymax.appKey, secretKey: paymax.secretKey.reveal(),
                                    merchantKey: paymax.merchantKey, paymaxKey: paymax.paymaxKey, channels: paymax.channels,
                                    timeExpire: paymax.timeExpire, returnURL: paymax.returnURL,
                                    requestTimeout: configuration.checkout.requestTimeout)
        return PaymaxGateway(account: account, transport: transport)
    }

    /// Paymax posts webhooks to an address set in its back office, not per order: the sandbox
    /// posts them to `$SHROFF_SANDBOX_PAYMAX_WEBHOOK`, by default the notify server's default address.
    static var webhookURL: String {
        ProcessInfo.processInfo.environment["SHROFF_SANDBOX_PAYMAX_WEBHOOK"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "http://127.0.0.1:8787/notify/paymax"
    }

    /// The sandbox's training key pairs, their files written to the state directory once per
    /// process (the first time Paymax's simulator or training gateway needs them).
    static let keys = PaymaxSandboxKeys.training(in: PaymaxSandboxKeys.defaultDirectory())

    func simulator(stateFile: String?, deliveries: SandboxDeliveries) -> any SimulatedGateway {
        PaymaxSandbox(keys: Self.keys, clock: .continuous, webhookURL: Self.webhookURL, deliveries: deliveries)
    }

    func simulatorGuide(hostURL: String) -> [String] {
        let keys = Self.keys
        return ["Paymax: [providers.paymax] base_url = \"\(hostURL)/merchant-api\"   ([store] currency = \"CNY\")",
                "        app_key = \"\(PaymaxSandbox.trainingAppKey)\", secret_key = \"\(PaymaxSandbox.trainingSecretKey)\"   (public training values)",
                "        merchant_private_key_file = \"\(keys.merchantPrivateFile)\"",
                "        paymax_public_key_file = \"\(keys.paymaxPublicFile)\"",
                "        return_url = \"http://127.0.0.1:8787/paid\"",
                "        webhooks go to \(Self.webhookURL) (set SHROFF_SANDBOX_PAYMAX_WEBHOOK to change)"]
            + (keys.filesNotWritten.map { ["        (the key files could not be written: \($0))"] } ?? [])
            + PaymaxScenario.guide.map { "        " + $0 }
    }

    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway {
        let account = PaymaxAccount(baseURL: hostURL + "/merchant-api", appKey: PaymaxSandbox.trainingAppKey,
                                    secretKey: PaymaxSandbox.trainingSecretKey, merchantKey: Self.keys.merchant,
                                    paymaxKey: Self.keys.paymaxPublic, returnURL: "http://127.0.0.1/paid",
                                    requestTimeout: configuration.checkout.requestTimeout)
        return PaymaxGateway(account: account, transport: transport)
    }
}
