import CheckoutCore
import Config
import Foundation
import Ledger
import Synchronization
import Till
import Words

/// The till's runtime: reads keys, tells scans from typing (or, with `[scanner] device`, reads
/// scans from the scanner's own device), feeds `TillState`, draws its frames, and performs the
/// commands it returns, without ever blocking the screen.
///
/// Promises: keys and the countdown stay live while a request is on the wire (work runs in
/// tasks, the screen on its own thread); orders left open by a crash are settled at start;
/// the terminal is restored on every exit; `run` returns only when the state allows quitting
/// (never while a payment, refund or settling is in flight).
public final class TillApp: Sendable {
    let configuration: ShroffConfiguration
    let store: TillState.Store
    /// The cashier's language, and why not the one asked for (said once, as the first notice).
    let language: LanguageChoice
    let worker: TillWorker
    let inbox: TillInbox
    /// True while orders left open are being settled: quitting then would leave them open again.
    let settling = Atomic<Bool>(false)

    /// Key polling: fast while the scan detector holds digits (so typed digits appear within
    /// ~50 ms), slower otherwise; the clock and spinner move every `tickInterval`.
    static let holdingPoll: Duration = .milliseconds(10)
    static let idlePoll: Duration = .milliseconds(100)
    /// At most this many buffered keys are taken before a frame is drawn (a long paste still redraws).
    static let keysPerFrame = 64
    static let tickInterval: Duration = .milliseconds(200)

    public init(runner: CheckoutRunner, ledger: any Ledger, configuration: ShroffConfiguration, services: TillServices,
                language: LanguageChoice = LanguageChoice(language: .english)) {
        self.configuration = configuration
        self.language = language
        let speaks = Words(language.language)
        let settings = configuration.summary(speaks).map { (label: $0.0, value: $0.1) }
        store = TillState.Store(name: configuration.store.name, currency: configuration.store.currency,
                                timeZone: configuration.store.timeZone, training: configuration.isTraining,
                                settings: settings, gateway: TillState.GatewayOffer(runner.gateway))
        let inbox = TillInbox()
        self.inbox = inbox
        worker = TillWorker(runner: runner, ledger: ledger, services: services, timeZone: configuration.store.timeZone,
                            currency: configuration.store.currency, words: speaks,
                            post: { inbox.post($0) }, notify: { inbox.notify(Notice($0, .alert)) })
    }

    /// What `shroff` with no subcommand runs: the till on this terminal until the cashier quits.
    ///
    /// Throws `TerminalError.notATerminal` (with a message for scripts) when stdin or stdout
    /// is not a terminal, before anything is drawn.
    public static func launch(configuration: ShroffConfiguration, runner: CheckoutRunner, ledger: any Ledger,
                              services: TillServices, language: LanguageChoice) async throws(TerminalError) {
        try await TillApp(runner: runner, ledger: ledger, configuration: configuration, services: services, language: language).run()
    }

    /// Runs the till until the cashier quits. Throws `TerminalError` when there is no terminal.
    public func run() async throws(TerminalError) {
        let ended = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, TerminalError>, Never>) in
            // ncurses is not thread-safe and `wget_wch` blocks: the screen gets a thread of its
            // own instead of a cooperative-pool thread the checkout tasks need.
            let thread = Thread { [self] in
                continuation.resume(returning: Result { () throws(TerminalError) in try loop() })
            }
            thread.name = "shroff.till.screen"
            thread.start()
        }
        try ended.get()
        await worker.drain()
    }

    private func loop() throws(TerminalError) {
        let clock = ContinuousClock()
        let origin = clock.now
        let now = { origin.duration(to: clock.now) }
        let screen = try CursesScreen(now: now)
        defer { screen.close() }

        let speaks = language.onTerminal(unicode: screen.unicode)
        var state = TillState(store: store, words: Words(speaks.language), unicode: screen.unicode, colour: screen.colour, size: screen.size, wall: Date())
        if let note = speaks.note { state.message = Notice(note, .warning) }
        var detector = ScanDetector()
        var lastTick = now()
        var quitting = false

        func apply(_ event: TillEvent) {
            for command in state.handle(event) {
                if command == .quit {
                    if settling.load(ordering: .acquiring) {
                        showNotice(Notice(state.words("app.still_settling"), .warning))
                    } else {
                        quitting = true
                    }
                } else {
                    worker.perform(command)
                }
            }
        }
        func showNotice(_ notice: Notice) {
            // The one change made outside `handle`: outcomes with no event of their own.
            state.message = notice
        }

        for command in state.start() { worker.perform(command) }
        startSettling(state.words)
        // With [scanner] device, scans come from that device only: every key typed here is the cashier's.
        let scanner = scannerWatch()
        scanner?.start()
        defer { scanner?.stop() }

        while !quitting {
            for item in inbox.drain() {
                switch item {
                case .event(let event): apply(event)
                case .notice(let notice): showNotice(notice)
                }
            }
            if quitting { break }
            screen.draw(state.render(size: state.size))

            let poll = detector.isHolding ? TillApp.holdingPoll : TillApp.idlePoll
            if var stroke = screen.readKey(timeout: poll, wakeDescriptor: inbox.wakeDescriptor) {
                // Everything the terminal has buffered is taken before the next frame: the rest
                // of a scanner's burst is judged and drawn in one go.
                var taken = 0
                while true {
                    if stroke.key == .resize {
                        apply(.resized(screen.size))
                    } else if scanner != nil {
                        apply(.input(.key(stroke.key)))
                    } else {
                        detector.echoesDigits = state.echoesDigits
                        for input in detector.feed(stroke) { apply(.input(input)) }
                    }
                    taken += 1
                    guard taken < TillApp.keysPerFrame, !quitting,
                          let next = screen.readKey(timeout: .zero, wakeDescriptor: inbox.wakeDescriptor) else { break }
                    stroke = next
                }
            } else {
                for input in detector.idle(at: now()) { apply(.input(input)) }
            }
            let current = now()
            if current - lastTick >= TillApp.tickInterval {
                lastTick = current
                apply(.tick(now: current, wall: Date()))
            }
        }
    }

    /// Settles orders a crash or power cut left pending or unknown, in the background, and says
    /// so on screen in the screen's language.
    private func startSettling(_ words: Words) {
        settling.store(true, ordering: .releasing)
        Task { [self] in
            do {
                let open = try worker.openOrders()
                if !open.isEmpty {
                    inbox.notify(Notice(words("app.settling", ["count": String(open.count)]), .warning))
                }
                let reports = try await worker.settleOpenOrders()
                if !reports.isEmpty {
                    let lines = reports.map { "\($0.order.id) \(words.status($0.order.status))" }
                    inbox.notify(Notice(words("app.settled", ["orders": lines.joined(separator: words("list.separator"))]), .info))
                }
            } catch {
                inbox.notify(Notice(words("app.settle_failed", ["why": words.reason(error)]), .alert))
            }
            do {
                let reports = try await worker.settleOpenRefunds()
                if !reports.isEmpty {
                    let lines = reports.map { "\($0.refund.id) \(words.summary($0.outcome))" }
                    let settled = reports.allSatisfy { $0.refund.status.isFinal }
                    inbox.notify(Notice(words("app.refunds_settled", ["refunds": lines.joined(separator: "; ")]), settled ? .info : .warning))
                }
            } catch {
                inbox.notify(Notice(words("app.refunds_failed", ["why": words.reason(error)]), .alert))
            }
            settling.store(false, ordering: .releasing)
        }
    }
}
