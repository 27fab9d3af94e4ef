import CheckoutCore
import Config
import Foundation
import HTTPTransport
import Sandbox
import PaymaxGateway
import Signing

struct PaymaxProvider: GatewayProvider {
    let name = "paymax"

    func gateway(_ configuration: ShroffConfiguration, transport: any HTTPTransport) -> (any PaymentGateway)? {
        guard let paymax = configuration.paymax else { return nil }
        let account = PaymaxAccount(baseURL: paymax.baseURL, appKey: paymax.appKey, secretKey: paymax.secretKey.reveal(),
                                    livemode: paymax.livemode, merchantKey: paymax.merchantKey, paymaxKey: paymax.paymaxKey,
                                    channels: paymax.channels, timeExpire: paymax.timeExpire, returnURL: paymax.returnURL,
                                    extra: paymax.extra, requestTimeout: configuration.checkout.requestTimeout)
        return PaymaxGateway(account: account, transport: transport)
    }

    /// Paymax posts webhooks to an address set in its back office, not per order: the sandbox
    /// posts them to `$SHROFF_SANDBOX_PAYMAX_WEBHOOK`, by default the notify server's default address.
    static var webhookURL: String {
        ProcessInfo.processInfo.environment["SHROFF_SANDBOX_PAYMAX_WEBHOOK"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "http://127.0.0.1:8787/notify/paymax"
    }

    /// The sandbox's key pairs, kept in the state directory (made there the first time any
    /// process needs them), loaded once per process when Paymax's simulator or training
    /// gateway first needs them.
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
                "        livemode = false   (the sandbox is Paymax's test mode)",
                "        webhooks go to \(Self.webhookURL) (set SHROFF_SANDBOX_PAYMAX_WEBHOOK to change)"]
            + (keys.filesNotWritten.map { ["        (the key files could not be written: \($0))"] } ?? [])
            + PaymaxScenario.guide.map { "        " + $0 }
    }

    func trainingGateway(hostURL: String, notifyURL: String, configuration: ShroffConfiguration,
                         transport: any HTTPTransport) -> any PaymentGateway {
        let account = PaymaxAccount(baseURL: hostURL + "/merchant-api", appKey: PaymaxSandbox.trainingAppKey,
                                    secretKey: PaymaxSandbox.trainingSecretKey, livemode: false, merchantKey: Self.keys.merchant,
                                    paymaxKey: Self.keys.paymaxPublic, timeExpire: configuration.checkout.qrTimeout,
                                    returnURL: "http://127.0.0.1/paid", requestTimeout: configuration.checkout.requestTimeout)
        return PaymaxGateway(account: account, transport: transport)
    }
}
