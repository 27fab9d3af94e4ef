import CheckoutCore
import CloudPayGateway
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
    static let all: [any GatewayProvider] = [WantuProvider(), PaymaxProvider(), AggregatorProvider(), CloudPayProvider()]

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

struct CloudPayProvider: GatewayProvider {
    let name = "cloudpay"

    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)? {
        guard let cloudPay = configuration.cloudPay else { return nil }
        let account = CloudPayAccount(baseURL: cloudPay.baseURL, appKey: cloudPay.appKey, appSecret: cloudPay.appSecret.reveal(),
                                      wallets: cloudPay.wallets, requestTimeout: configuration.checkout.requestTimeout,
                                      maxPriceAdjustment: cloudPay.maxPriceAdjustment)
        return CloudPayGateway(account: account, transport: transport)
    }

    func simulator(stateFile: String?, deliveries: SandboxDeliveries) -> any SimulatedGateway {
        // In memory only: with no query or refund, nothing asks the simulator about an order later.
        CloudPaySandbox(clock: .continuous, logger: Logger(label: "shroff.sandbox"), deliveries: deliveries)
    }

    func simulatorGuide(hostURL: String) -> [String] {
        ["CloudPay: [providers.cloudpay] base_url = \"\(hostURL)/cloudpay\"",
         "        appkey = \"\(CloudPaySandbox.trainingAppKey)\", appsecret = \"\(CloudPaySandbox.trainingAppSecret)\"   (public training secret)",
         "        types = [\"alipay\", \"wechat\"]; [store] currency = \"CNY\"; notifications go to --notify-server's /notify/cloudpay",
         "        scenarios by the price's cents:"] + CloudPayScenario.guide.map { "          " + $0 }
    }

    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway {
        // The notify URL is the simulator's back-office setting, not the gateway's.
        let account = CloudPayAccount(baseURL: hostURL + "/cloudpay", appKey: CloudPaySandbox.trainingAppKey,
                                      appSecret: CloudPaySandbox.trainingAppSecret, wallets: Wallet.allCases,
                                      requestTimeout: configuration.checkout.requestTimeout)
        return CloudPayGateway(account: account, transport: transport)
    }
}
