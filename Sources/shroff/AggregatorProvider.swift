import AggregatorGateway
import CheckoutCore
import Config
import HTTPTransport
import Logging
import Sandbox

/// The unified-order aggregator, `[providers.aggregator]`: QR orders only, no refund, cancel or close.
struct AggregatorProvider: GatewayProvider {
    let name = "aggregator"

    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)? {
        guard let settings = configuration.aggregator else { return nil }
        let account = AggregatorAccount(baseURL: settings.baseURL, appID: settings.appID, secret: settings.secret.reveal(),
                                        bankCodeAlipay: settings.bankCodeAlipay, bankCodeWeChat: settings.bankCodeWeChat,
                                        notifyURL: settings.notifyURL, returnURL: settings.returnURL,
                                        requestTimeout: configuration.checkout.requestTimeout)
        return AggregatorGateway(account: account, transport: transport)
    }

    func simulator(stateFile: String?, deliveries: SandboxDeliveries) -> any SimulatedGateway {
        AggregatorSandbox(clock: .continuous, logger: Logger(label: "shroff.sandbox"), stateFile: stateFile, deliveries: deliveries)
    }

    func simulatorGuide(hostURL: String) -> [String] {
        let training = AggregatorSandboxAccount.training
        return ["Aggregator: [providers.aggregator] base_url = \"\(hostURL)/aggregator\"",
                "        appid = \"\(training.appID)\", secret = \"\(training.secret)\"   (the sandbox's public training secret)",
                "        notify_url = \"http://127.0.0.1:8787/notify/aggregator\", return_url = \"http://127.0.0.1:8787/\"",
                "        [store] currency = \"CNY\"; scenarios by the amount's cents:"]
            + AggregatorSandboxScenario.guide.map { "          " + $0 }
    }

    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway {
        let training = AggregatorSandboxAccount.training
        let account = AggregatorAccount(baseURL: hostURL + "/aggregator", appID: training.appID, secret: training.secret,
                                        notifyURL: notifyURL, returnURL: notifyURL, requestTimeout: configuration.checkout.requestTimeout)
        return AggregatorGateway(account: account, transport: transport)
    }
}
