import ArgumentParser
import CheckoutCore
import Config
import Foundation
import Ledger
import Logging
import NotifyServer

/// `shroff notify-server`: receives the gateways' payment notifications and writes them to the
/// ledger that the tills share; a till waiting on the order sees it within a fraction of a second.
struct NotifyServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-server",
        abstract: "Receive the gateways' payment notifications (POST /notify/<gateway>) into the ledger.",
        discussion: """
            Give each gateway https://YOUR-HOST/notify/<gateway> as its notify_url, with a TLS reverse \
            proxy in front of this server (see the README). It verifies every notification's \
            signature, checks it against the order, applies it in one ledger transaction and answers \
            with the reply the gateway expects. GET /healthz answers 200 while it serves. It stops \
            cleanly on SIGTERM or Ctrl-C, finishing the requests in hand. Without a configuration \
            file it refuses to start unless given --training.
            """)

    @Option(help: ArgumentHelp("The address to listen on, HOST:PORT (default: [notify] listen, else 127.0.0.1:8787).", valueName: "host:port"))
    var listen: String?

    @Flag(help: "Receive training notifications: those signed with the sandbox's published keys, into the training ledger.")
    var training = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        // The gateways only verify here; the training simulators need not run.
        await session.close()
        if session.configuration.isTraining && !training {
            throw ShroffFailure("This is training mode (no configuration file at --config, $SHROFF_CONFIG or ~/.config/shroff/config.toml, or one whose [checkout] provider has no [providers.NAME] table), so this receiver would believe any notification signed with the sandbox's published training keys, which anyone can make. Start it with the shop's configuration (--config FILE), or add --training to receive training notifications into the training ledger on purpose.")
        }
        var settings = session.configuration.notify
        if let listen {
            guard let (host, port) = NotifySettings.address(listen) else {
                throw ShroffFailure("--listen \"\(listen)\" is not HOST:PORT: write e.g. --listen 127.0.0.1:8787.")
            }
            (settings.host, settings.port) = (host, port)
        }
        var logger = Logger(label: "shroff.notify")
        logger.logLevel = .info
        let receiver = NotificationReceiver(gateways: session.gateways, ledger: session.ledger, logger: logger)
        guard !receiver.gateways.isEmpty else {
            throw ShroffFailure("No configured gateway sends notifications: add a [providers.NAME] table.")
        }
        var serverLogger = Logger(label: "shroff.notify.http")
        serverLogger.logLevel = global.verbose ? .info : .warning
        let running: RunningNotifyServer
        do {
            running = try await NotifyServer.start(receiver, host: settings.host, port: settings.port,
                                                   limits: NotifyServer.Limits(maximumConcurrent: settings.maximumConcurrent),
                                                   metrics: settings.metrics.map { ($0.host, $0.port) },
                                                   logger: serverLogger, stopOnSignals: true)
        } catch {
            throw ShroffFailure("\(error)")
        }
        let served = receiver.gateways.keys.sorted()
        let prefix = session.output.prefix
        FileHandle.standardError.write(Data(("\(prefix)Receiving notifications at http://\(running.host):\(running.port)/notify/{\(served.joined(separator: ","))} into \(session.ledger.location). Stop with Ctrl-C.\n").utf8))
        if let port = running.metricsPort, let metrics = settings.metrics {
            FileHandle.standardError.write(Data(("\(prefix)Metrics for Prometheus at http://\(metrics.host):\(port)/metrics.\n").utf8))
        }
        do {
            try await running.served()
        } catch {
            throw ShroffFailure("The notification receiver stopped: \(error)")
        }
    }
}
