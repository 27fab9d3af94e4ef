import ArgumentParser
import CheckoutCore
import Foundation
import Logging
import HTTPTransport
import Sandbox

/// `shroff sandbox`: every gateway's simulator (`Providers`), served over HTTP for testers and training.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve simulators of the payment gateways (Wantu, Paymax, the aggregator, CloudPay) on this machine, for tests and training.",
        discussion: """
            Each checks request signatures as its gateway does, answers as its document shows and keeps \
            its orders in memory. When an order is paid it posts the gateway's signed notification to the \
            order's notify_url (on this machine only), retrying until the answer is the gateway's success reply. \
            Point [providers.wantu] at it with base_url = "http://127.0.0.1:PORT/paygate", [providers.aggregator] \
            with base_url = "http://127.0.0.1:PORT/aggregator", and the training credentials it prints. \
            Wantu's scenarios are chosen by the amount's cents:
            \(SandboxScenario.guide.map { "  " + $0 }.joined(separator: "\n"))
            Paymax is served beside it at /merchant-api/v1/... with its own key pairs (written to \
            ~/.local/state/shroff/paymax-sandbox, paths printed at start) and posts its webhooks to \
            $SHROFF_SANDBOX_PAYMAX_WEBHOOK (default http://127.0.0.1:8787/notify/paymax).
            \(PaymaxScenario.guide.map { "  " + $0 }.joined(separator: "\n"))
            The aggregator's (QR orders, CNY):
            \(AggregatorSandboxScenario.guide.map { "  " + $0 }.joined(separator: "\n"))
            CloudPay (base_url = "http://127.0.0.1:PORT/cloudpay") posts its notifications to \
            --notify-server's /notify/cloudpay, retrying until the answer is exactly success. Its scenarios, \
            by the price's cents:
            \(CloudPayScenario.guide.map { "  " + $0 }.joined(separator: "\n"))
            """)

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8765

    @Option(help: "The address to listen on. Keep it on loopback: the sandbox's key is public.")
    var host = "127.0.0.1"

    @Option(name: .customLong("notify-server"),
            help: ArgumentHelp("The notify server CloudPay's back office posts to (on this machine).", valueName: "url"))
    var notifyServer = "http://127.0.0.1:8787"

    @Option(name: .customLong("state-file"), help: ArgumentHelp("Keep the simulated orders in this file across restarts (the aggregator's in <path>.aggregator; default: in memory only).", valueName: "path"))
    var stateFile: String?

    func run() async throws {
        LogSetup.bootstrapOnce(verbose: true)
        try TillSession.forbidCoreDumps()
        var notifyServer = notifyServer
        while notifyServer.hasSuffix("/") { notifyServer.removeLast() }
        guard HTTPRequest.isLoopback(notifyServer) else {
            throw ShroffFailure("--notify-server \"\(notifyServer)\" is not an http address on this machine: the sandbox signs with a public secret, so it posts only to 127.0.0.1, localhost or [::1] (e.g. --notify-server http://127.0.0.1:8787).")
        }
        let deliveries: SandboxDeliveries
        do {
            deliveries = SandboxDeliveries(transport: try CurlTransport(), clock: .continuous, notifyServer: notifyServer)
        } catch {
            throw ShroffFailure("The HTTP client could not start: \(error)")
        }
        let stateFile = self.stateFile
        let simulators = Providers.all.map { provider in
            provider.simulator(stateFile: stateFile.map { Providers.all.count == 1 || provider.name == "wantu" ? $0 : "\($0).\(provider.name)" },
                               deliveries: deliveries)
        }
        let server = Task {
            try await SandboxServer.run(simulators, host: host, port: port) { running in
                let hostURL = "http://\(running.host):\(running.port)"
                print((["Sandbox serving at \(hostURL)"] + Providers.all.flatMap { $0.simulatorGuide(hostURL: hostURL) } + [
                    "A customer pays a QR order: curl -X POST \(hostURL)/sandbox/pay/<order>",
                    "Stop with Ctrl-C.",
                ]).joined(separator: "\n"))
                // Scripts read the port from a pipe: do not leave the banner in the buffer.
                fflush(nil)
            }
        }
        let stop = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        for source in [stop, terminate] {
            source.setEventHandler { server.cancel() }
            source.resume()
        }
        do {
            try await server.value
        } catch is CancellationError {
        } catch {
            throw ShroffFailure("The sandbox could not serve on \(host):\(port): \(error)")
        }
    }
}
