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
        let words = session.output.words
        if session.configuration.isTraining && !training {
            throw ShroffFailure(words("cli.notify.training"))
        }
        var settings = session.configuration.notify
        if let listen {
            guard let (host, port) = NotifySettings.address(listen) else {
                throw ShroffFailure(words("cli.notify.bad_listen", ["listen": listen]))
            }
            (settings.host, settings.port) = (host, port)
        }
        var logger = Logger(label: "shroff.notify")
        logger.logLevel = .info
        let receiver = NotificationReceiver(gateways: session.gateways, ledger: session.ledger, logger: logger)
        guard !receiver.gateways.isEmpty else {
            throw ShroffFailure(words("cli.notify.no_gateway"))
        }
        var serverLogger = Logger(label: "shroff.notify.http")
        serverLogger.logLevel = global.verbose ? .info : .warning
        let running: RunningNotifyServer
        do {
            running = try await NotifyServer.start(receiver, host: settings.host, port: settings.port,
                                                   limits: NotifyServer.Limits(maximumConcurrent: settings.maximumConcurrent),
                                                   metrics: settings.metrics.map { ($0.host, $0.port) },
                                                   logger: serverLogger, stopOnSignals: true)
        } catch NotifyServerError.cannotListen(let host, let port) {
            throw ShroffFailure(words("cli.notify.cannot_listen", ["host": host, "port": String(port)]))
        } catch NotifyServerError.cannotListenForMetrics(let host, let port) {
            throw ShroffFailure(words("cli.notify.cannot_listen_metrics", ["host": host, "port": String(port)]))
        } catch {
            throw ShroffFailure("\(error)")
        }
        let served = receiver.gateways.keys.sorted()
        let prefix = session.output.prefix
        let url = "http://\(running.host):\(running.port)/notify/{\(served.joined(separator: ","))}"
        FileHandle.standardError.write(Data((prefix + words("cli.notify.receiving", ["url": url, "ledger": session.ledger.location]) + "\n").utf8))
        if let port = running.metricsPort, let metrics = settings.metrics {
            FileHandle.standardError.write(Data((prefix + words("cli.notify.metrics", ["url": "http://\(metrics.host):\(port)/metrics"]) + "\n").utf8))
        }
        do {
            try await running.served()
        } catch {
            throw ShroffFailure(words("cli.notify.stopped", ["error": "\(error)"]))
        }
    }
}
