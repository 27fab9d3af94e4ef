import CheckoutCore
import Config
import Foundation
import HTTPTransport
import Ledger
import Logging
import NotifyServer
import Sandbox
import Signing
import Till
import Synchronization
import Words

/// Everything a till command needs, wired from the configuration: the ledger, the gateways
/// (from `Providers`, or in training mode their simulators started in this process, with a
/// notification receiver beside them), and the checkout runner.
final class TillSession: Sendable {
    let configuration: ShroffConfiguration
    let ledger: any Ledger
    /// The gateway new orders are made with (`[checkout] provider`).
    let gateway: any PaymentGateway
    /// Every configured gateway: orders go back to the one they were made with.
    let gateways: [any PaymentGateway]
    let runner: CheckoutRunner
    let output: Output
    /// The language this run speaks (`LanguageChoice`), and why not the one asked for, when it is not.
    let language: LanguageChoice
    /// Training only: stops the simulators and the receiver this process runs.
    let stops: [@Sendable () async -> Void]

    /// Opens the session; `sayLanguageNote` false leaves the language's note to the caller (the
    /// till shows it on its first screen, where the cashier looks).
    static func open(_ options: GlobalOptions, sayLanguageNote: Bool = true) async throws -> TillSession {
        LogSetup.bootstrapOnce(verbose: options.verbose)
        try forbidCoreDumps()
        let configuration: ShroffConfiguration
        do {
            configuration = try ConfigLoader.load(explicitPath: options.config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ShroffFailure(error.description)
        }
        let language = try chooseLanguage(options, configured: configuration.store.language)
        // JSON is for scripts: its every word stays English, errors included, whatever the language.
        let output = Output(json: options.json, training: configuration.isTraining, words: options.json ? .english : Words(language.language))
        if let note = language.note, sayLanguageNote {
            FileHandle.standardError.write(Data((output.words("cli.language_note", ["note": note]) + "\n").utf8))
        }
        // Every start, on standard error (even with --json): the owner must not forget it.
        for warning in configuration.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        let ledger: any Ledger
        do { ledger = try LedgerOpening.open(configuration) } catch { throw ShroffFailure(error.description) }
        let transport: CurlTransport
        do { transport = try CurlTransport() } catch { throw ShroffFailure("The HTTP client could not start: \(error)") }

        var gateways: [any PaymentGateway] = []
        var stops: [@Sendable () async -> Void] = []
        if configuration.isTraining {
            do {
                (gateways, stops) = try await startTraining(configuration, ledger: ledger, transport: transport, verbose: options.verbose)
            } catch {
                throw ShroffFailure("The training sandbox could not start: \(error). Nothing was sent.")
            }
        } else {
            gateways = Providers.all.compactMap { $0.gateway(configuration, transport: transport) }
        }
        guard let gateway = gateways.first(where: { $0.name == configuration.checkout.provider }) else {
            for stop in stops { await stop() }
            throw ShroffFailure("checkout.provider is \"\(configuration.checkout.provider)\", but there is no [providers.\(configuration.checkout.provider)] table to reach it: add one.")
        }
        let checkout = configuration.checkout
        let policy = CheckoutPolicy(pollInterval: checkout.pollInterval, payTimeout: checkout.payTimeout, qrTimeout: checkout.qrTimeout)
        // Tokens from the CSPRNG: a pay link is a public address, so it must not be guessable.
        let payLinks = configuration.notify.publicURL.map { PayLinkIssuer(publicURL: $0, makeToken: { try SecureRandom.urlToken() }) }
        let runner = CheckoutRunner(gateway: gateway, others: gateways, ledger: ledger, policy: policy, timeZone: configuration.store.timeZone,
                                    payLinks: payLinks)
        return TillSession(configuration: configuration, ledger: ledger, gateway: gateway, gateways: gateways, runner: runner,
                           output: output, language: language, stops: stops)
    }

    /// `--language`, `[store] language` and the locale, by `LanguageChoice`'s rule.
    static func chooseLanguage(_ options: GlobalOptions, configured: Language?) throws -> LanguageChoice {
        var flag: Language?
        if let code = options.language {
            guard let language = Language(code: code) else {
                let codes = Language.all.map(\.code).joined(separator: ", ")
                throw ShroffFailure("--language \"\(code)\" is not a language Shroff speaks: use one of \(codes). Nothing was done.")
            }
            flag = language
        }
        return LanguageChoice.resolve(flag: flag, configured: configured, environment: ProcessInfo.processInfo.environment)
    }

    /// Training: every provider's simulator on one loopback sandbox host, and a receiver on a
    /// free loopback port that their notifications reach, so a QR order completes by
    /// notification with no configuration. The simulators keep their orders beside the
    /// training ledger, so a refund or a status in a later run finds them.
    private static func startTraining(_ configuration: ShroffConfiguration, ledger: any Ledger, transport: CurlTransport,
                                      verbose: Bool) async throws -> ([any PaymentGateway], [@Sendable () async -> Void]) {
        var deliveryLogger = Logger(label: "shroff.sandbox.notify")
        deliveryLogger.logLevel = verbose ? .info : .critical
        var logger = Logger(label: "shroff.notify")
        logger.logLevel = verbose ? .info : .critical
        // The receiver first, so that a simulator whose gateway keeps its callback URL in a back
        // office (CloudPay) is told where it is. It only verifies with these gateways: where they
        // would send requests does not matter.
        let verifiers = Providers.all.map { $0.trainingGateway(hostURL: "http://127.0.0.1:0", notifyURL: "http://127.0.0.1/unused",
                                                              configuration: configuration, transport: transport) }
        let receiver = try await NotifyServer.start(NotificationReceiver(gateways: verifiers, ledger: ledger, logger: logger),
                                                    host: "127.0.0.1", port: 0, logger: logger)
        let deliveries = SandboxDeliveries(transport: try CurlTransport(), clock: .continuous,
                                           notifyServer: "http://\(receiver.host):\(receiver.port)", logger: deliveryLogger)
        let folder = URL(fileURLWithPath: configuration.store.ledgerPath).deletingLastPathComponent()
        let simulators = Providers.all.map { provider in
            // Wantu's file keeps its first name, so training orders from earlier versions are found.
            let name = provider.name == "wantu" ? "training-sandbox.json" : "training-sandbox-\(provider.name).json"
            return provider.simulator(stateFile: folder.appendingPathComponent(name).path, deliveries: deliveries)
        }
        // The servers' own messages (such as closing connections at exit) are not the cashier's concern.
        var serverLogger = Logger(label: "shroff.sandbox.http")
        serverLogger.logLevel = verbose ? .info : .critical
        let sandbox: RunningSandbox
        do {
            sandbox = try await SandboxServer.start(simulators, logger: serverLogger)
        } catch {
            await receiver.stop()
            throw error
        }
        let hostURL = "http://\(sandbox.host):\(sandbox.port)"
        let gateways = Providers.all.map { $0.trainingGateway(hostURL: hostURL, notifyURL: receiver.url(for: $0.name),
                                                             configuration: configuration, transport: transport) }
        return (gateways, [{ await receiver.stop() }, { await sandbox.stop() }])
    }

    private init(configuration: ShroffConfiguration, ledger: any Ledger, gateway: any PaymentGateway, gateways: [any PaymentGateway],
                 runner: CheckoutRunner, output: Output, language: LanguageChoice, stops: [@Sendable () async -> Void]) {
        self.configuration = configuration
        self.ledger = ledger
        self.gateway = gateway
        self.gateways = gateways
        self.runner = runner
        self.output = output
        self.language = language
        self.stops = stops
    }

    var currency: Currency { configuration.store.currency }

    /// Keeps this process out of core dumps, before it reads any key (the configuration's
    /// secrets, key files, the sandbox's keys): a crash must not leave them on disk. Every
    /// command that loads a key calls it first.
    static func forbidCoreDumps() throws {
        do { try KeyProcess.forbidCoreDumps() } catch { throw ShroffFailure(error.description) }
    }

    /// Runs one payment, after settling orders left open by a process that has ended (promptly:
    /// never waited out to their deadline), with Ctrl-C cancelling it at the gateway. Ends by
    /// printing the result and throwing its exit status.
    func runCheckout(_ body: (CheckoutControl) async throws(TillError) -> CheckoutReport) async throws -> Never {
        await settleOpenOrders(promptly: true)
        let control = CheckoutControl()
        let interrupts = Interrupts(control: control, output: output)
        defer { withExtendedLifetime(interrupts) {} }
        let report = try await run { () throws(TillError) in try await body(control) }
        CheckoutNarration.finish(report, output: output)
        throw CheckoutNarration.exitStatus(report)
    }

    /// Settles orders and refunds a crash or power cut left open, or that ended unknown; those
    /// another live shroff is running are left to it.
    func settleOpenOrders(promptly: Bool) async {
        do {
            let reports = try await runner.resolveOpenOrders(promptly: promptly) { order, step in
                if case .sending(let operation) = step {
                    self.output.progress(self.output.words("cli.settle.sending", ["order": order.id.rawValue, "operation": self.output.words.operation(operation)]))
                }
            }
            for report in reports {
                output.progress(output.words("cli.settle.settled", ["order": report.order.id.rawValue,
                                                                    "status": output.words("report.status.\(report.order.status.rawValue)"),
                                                                    "summary": output.words.summary(report.result)]))
            }
        } catch {
            output.progress("Open orders could not be settled now: \(error)")
        }
        do {
            let reports = try await runner.resolveOpenRefunds { refund in
                self.output.progress("Asking about refund \(refund.id) of order \(refund.orderID), left \(refund.status.rawValue) earlier…")
            }
            for report in reports {
                output.progress("Refund \(report.refund.id) of \(report.refund.amount), left open earlier: \(report.outcome.summary)")
            }
        } catch {
            output.progress("Open refunds could not be settled now: \(error)")
        }
    }

    func close() async {
        for stop in stops { await stop() }
    }

    /// Runs a command's work and closes the session whichever way it ends; the work's error
    /// (a `TillError`, or the screen's `TerminalError`) becomes the message the command prints.
    func run<T, Failure: Error & CustomStringConvertible>(_ body: () async throws(Failure) -> T) async throws -> T {
        do {
            let value = try await body()
            await close()
            return value
        } catch {
            await close()
            throw ShroffFailure(error.description)
        }
    }

    func parseAmount(_ text: String) throws -> Money {
        do { return try Money(parsing: text, currency: currency) } catch { throw ShroffFailure(output.words.reason(error)) }
    }

    func parseOrderID(_ text: String) throws -> OrderID {
        do { return try OrderID(text) } catch { throw ShroffFailure(error.description) }
    }
}

/// swift-log may be bootstrapped once per process.
enum LogSetup {
    private static let bootstrapped = Mutex(false)

    static func bootstrapOnce(verbose: Bool) {
        guard !bootstrapped.withLock({ let was = $0; $0 = true; return was }) else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .info : .error
            return handler
        }
    }
}

extension TillSession {
    /// A day typed on the command line, in the store's time zone.
    func day(_ text: String) throws -> StoreDay {
        guard let day = StoreDay(text, timeZone: configuration.store.timeZone) else {
            throw ShroffFailure("\"\(text)\" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-22.")
        }
        return day
    }

    var today: StoreDay { .containing(Date(), in: configuration.store.timeZone) }
}
