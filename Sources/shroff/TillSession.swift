import CheckoutCore
import Config
import Foundation
import HTTPTransport
import Ledger
import Logging
import Sandbox
import Till
import Synchronization
import WantuGateway

/// Everything a till command needs, wired from the configuration: the ledger, the gateway
/// (Wantu, or in training mode the sandbox started in this process), and the checkout runner.
final class TillSession: Sendable {
    let configuration: ShroffConfiguration
    let ledger: Ledger
    let gateway: WantuGateway
    let runner: CheckoutRunner
    let output: Output
    let sandbox: RunningSandbox?

    static func open(_ options: GlobalOptions) async throws -> TillSession {
        LogSetup.bootstrapOnce(verbose: options.verbose)
        let configuration: ShroffConfiguration
        do {
            configuration = try ConfigLoader.load(explicitPath: options.config, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ShroffFailure(error.description)
        }
        let output = Output(json: options.json, training: configuration.isTraining)
        let ledger: Ledger
        do { ledger = try Ledger(path: configuration.store.ledgerPath) } catch { throw ShroffFailure(error.description) }

        var sandbox: RunningSandbox?
        let account: WantuAccount
        if let wantu = configuration.wantu {
            account = WantuAccount(baseURL: wantu.baseURL, merchantAccount: wantu.merchantAccount, storeAccount: wantu.storeAccount,
                                   key: wantu.key.reveal(), notifyURL: wantu.notifyURL, deviceSN: wantu.deviceSN,
                                   currency: configuration.store.currency, timeZone: configuration.store.timeZone,
                                   requestTimeout: configuration.checkout.requestTimeout)
        } else {
            // Training: the sandbox runs in this process, over real HTTP on loopback.
            let training = SandboxAccount.training
            // Its orders are kept beside the training ledger, so a refund or a status in a later run finds them.
            let stateFile = URL(fileURLWithPath: configuration.store.ledgerPath).deletingLastPathComponent()
                .appendingPathComponent("training-sandbox.json").path
            let service = WantuSandbox(account: training, clock: .continuous, logger: Logger(label: "shroff.sandbox"), stateFile: stateFile)
            // The server's own messages (such as closing connections at exit) are not the cashier's concern.
            var serverLogger = Logger(label: "shroff.sandbox.http")
            serverLogger.logLevel = options.verbose ? .info : .critical
            do {
                sandbox = try await SandboxServer.start(service, logger: serverLogger)
            } catch {
                throw ShroffFailure("The training sandbox could not start: \(error). Nothing was sent.")
            }
            account = WantuAccount(baseURL: sandbox!.baseURL, merchantAccount: training.merchantAccount,
                                   storeAccount: training.storeAccount, key: training.key,
                                   notifyURL: "http://127.0.0.1/notify", currency: training.currency,
                                   timeZone: training.timeZone, requestTimeout: configuration.checkout.requestTimeout)
        }
        let transport: CurlTransport
        do { transport = try CurlTransport() } catch { throw ShroffFailure("The HTTP client could not start: \(error)") }
        let gateway = WantuGateway(account: account, transport: transport)
        let checkout = configuration.checkout
        let policy = CheckoutPolicy(pollInterval: checkout.pollInterval, payTimeout: checkout.payTimeout, qrTimeout: checkout.qrTimeout)
        let runner = CheckoutRunner(gateway: gateway, ledger: ledger, policy: policy, timeZone: configuration.store.timeZone)
        return TillSession(configuration: configuration, ledger: ledger, gateway: gateway, runner: runner, output: output, sandbox: sandbox)
    }

    private init(configuration: ShroffConfiguration, ledger: Ledger, gateway: WantuGateway, runner: CheckoutRunner,
                 output: Output, sandbox: RunningSandbox?) {
        self.configuration = configuration
        self.ledger = ledger
        self.gateway = gateway
        self.runner = runner
        self.output = output
        self.sandbox = sandbox
    }

    var currency: Currency { configuration.store.currency }

    /// Takes the ledger's lock for a payment; refuses when another shroff holds it.
    func lockForPayment() throws -> LedgerLock {
        guard let lock = LedgerLock(ledgerPath: configuration.store.ledgerPath) else {
            throw ShroffFailure("Another shroff is taking a payment with the ledger \(configuration.store.ledgerPath). Wait for it to finish; nothing was sent.")
        }
        return lock
    }

    /// Runs one payment: holding the ledger's lock, after settling open orders, with Ctrl-C
    /// cancelling it at the gateway. Ends by printing the result and throwing its exit status.
    func runCheckout(_ body: (CheckoutControl) async throws(TillError) -> CheckoutReport) async throws -> Never {
        let lock = try lockForPayment()
        defer { withExtendedLifetime(lock) {} }
        await settleOpenOrders(holding: lock)
        let control = CheckoutControl()
        let interrupts = Interrupts(control: control, output: output)
        defer { withExtendedLifetime(interrupts) {} }
        let report: CheckoutReport
        do {
            report = try await body(control)
        } catch {
            await close()
            throw ShroffFailure(error.description)
        }
        await close()
        CheckoutNarration.finish(report, output: output)
        throw ExitStatus(report.result)
    }

    /// The ledger's lock when no other shroff holds it.
    func tryLock() -> LedgerLock? { LedgerLock(ledgerPath: configuration.store.ledgerPath) }

    /// Settles orders a crash or power cut left open. Call it holding the ledger's lock.
    func settleOpenOrders(holding lock: LedgerLock) async {
        withExtendedLifetime(lock) {}
        do {
            let reports = try await runner.resolveOpenOrders { order, step in
                if case .sending(let operation) = step { self.output.progress("Settling open order \(order.id): \(operation)…") }
            }
            for report in reports {
                output.progress("Order \(report.order.id), left open earlier, is now \(report.order.status.rawValue): \(report.result.summary)")
            }
        } catch {
            output.progress("Open orders could not be settled now: \(error)")
        }
    }

    /// Settles open orders if no other shroff is busy with this ledger.
    func settleOpenOrdersIfIdle() async {
        if let lock = tryLock() { await settleOpenOrders(holding: lock) }
    }

    func close() async {
        await sandbox?.stop()
    }

    func parseAmount(_ text: String) throws -> Money {
        do { return try Money(parsing: text, currency: currency) } catch { throw ShroffFailure(error.description) }
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
