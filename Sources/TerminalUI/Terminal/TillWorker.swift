import CheckoutCore
import Foundation
import Ledger
import Synchronization
import Till
import Words

/// Performs the till's commands off the screen's thread and reports each outcome as a
/// `TillEvent` through `post`.
///
/// Promises: `perform` never blocks (every piece of work runs in its own task); a checkout's
/// `CheckoutControl` is kept while it runs so `.cancelCheckout` reaches it; failures come
/// back as the matching `…Failed` event, or through `notify` where the vocabulary has none.
final class TillWorker: Sendable {
    let runner: CheckoutRunner
    let ledger: any Ledger
    let services: TillServices
    let timeZone: TimeZone
    /// The store's currency: a search that reads as an amount matches orders of that amount.
    let currency: Currency
    /// The cashier's language, for the notices the worker raises itself.
    let words: Words
    let wallClock: @Sendable () -> Date
    private let post: @Sendable (TillEvent) -> Void
    private let notify: @Sendable (String) -> Void
    private let control = Mutex<CheckoutControl?>(nil)
    private let tasks = Mutex<[UUID: Task<Void, Never>]>([:])

    init(runner: CheckoutRunner, ledger: any Ledger, services: TillServices, timeZone: TimeZone, currency: Currency,
         words: Words = .english, wallClock: @escaping @Sendable () -> Date = Date.init,
         post: @escaping @Sendable (TillEvent) -> Void, notify: @escaping @Sendable (String) -> Void) {
        self.runner = runner
        self.ledger = ledger
        self.services = services
        self.timeZone = timeZone
        self.currency = currency
        self.words = words
        self.wallClock = wallClock
        self.post = post
        self.notify = notify
    }

    /// Starts the work `command` asks for. `.quit` is the runtime's own and is ignored here.
    func perform(_ command: TillCommand) {
        switch command {
        case .payByCode(let amount, let code, let subject):
            checkout { runner, control, progress throws(TillError) in
                try await runner.payByCode(amount, code: code, subject: subject, control: control, progress: progress)
            }
        case .payByQR(let amount, let wallet, let subject):
            checkout { runner, control, progress throws(TillError) in
                try await runner.payByQR(amount, wallet: wallet, subject: subject, control: control, progress: progress)
            }
        case .cancelCheckout:
            control.withLock { $0 }?.requestCancel()
        case .loadHistory(let search):
            spawn { [self] in
                do { post(.history(try history(search: search, after: nil))) } catch {
                    notify(words("worker.history_unreadable", ["why": words.reason(error)]))
                }
            }
        case .loadMoreHistory(let search, let cursor):
            spawn { [self] in
                do { post(.moreHistory(try history(search: search, after: cursor), after: cursor)) } catch {
                    notify(words("worker.history_unreadable", ["why": words.reason(error)]))
                }
            }
        case .requery(let id):
            spawn { [runner, post] in
                do throws(TillError) { post(.requeried(try await runner.status(id))) } catch { post(.requeryFailed(error)) }
            }
        case .checkPIN(let pin):
            spawn { [services, post] in post(.pinChecked(await services.checkPIN(pin))) }
        case .refund(let id, let amount, let reason):
            spawn { [runner, post] in
                do throws(TillError) { post(.refundFinished(try await runner.refund(id, amount: amount, reason: reason))) } catch {
                    post(.refundFailed(error))
                }
            }
        case .loadReport:
            spawn { [services, post, notify, words] in
                do { post(.report(try await services.dayReport())) } catch {
                    notify(words("worker.report_failed", ["why": words.reason(error)]))
                }
            }
        case .closeDay:
            spawn { [services, post, notify, words] in
                do { post(.dayClosed(try await services.closeDay())) } catch {
                    notify(words("worker.day_not_closed", ["why": words.reason(error)]))
                }
            }
        case .loadRate:
            spawn { [services, post] in post(.rate(await services.exchangeRate())) }
        case .printReceipt(let receipt):
            spawn { [services, post] in post(.receiptPrinted(await services.printReceipt(receipt))) }
        case .quit:
            break
        }
    }

    /// Orders a crash or a power cut left pending, or that ended unknown.
    func openOrders() throws(LedgerError) -> [Order] {
        try ledger.orders(withStatus: [.pending, .unknown])
    }

    /// Settles orders a crash or a power cut left open, one by one.
    func settleOpenOrders() async throws(TillError) -> [CheckoutReport] {
        try await runner.resolveOpenOrders()
    }

    /// Asks about each refund left pending or unknown, once.
    func settleOpenRefunds() async throws(TillError) -> [RefundReport] {
        try await runner.resolveOpenRefunds()
    }

    /// One page of the history (`HistoryView.batch` orders at most), newest first, after
    /// `cursor`: today's orders (in the store's time zone), or, with `search`, orders of any
    /// day whose number, masked code or gateway trade id contains it, or whose amount it is.
    /// One query; the ledger searches and pages.
    func history(search: String?, after cursor: OrderCursor?) throws(LedgerError) -> [OrderLine] {
        let now = wallClock()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let trimmed = search?.trimmingCharacters(in: .whitespaces) ?? ""
        let end = now.addingTimeInterval(1)
        let query = trimmed.isEmpty
            ? OrderSearch(createdFrom: calendar.startOfDay(for: now), createdBefore: end)
            : OrderSearch(typed: trimmed, currency: currency, createdBefore: end)
        return try ledger.historyPage(query, after: cursor, limit: HistoryView.batch).map {
            OrderLine(order: $0.order, refunded: $0.committed)
        }
    }

    /// Waits for every piece of work started so far (for tests and for a clean exit).
    func drain() async {
        while let next = tasks.withLock({ $0.values.first }) { await next.value }
    }

    private func checkout(_ body: @escaping @Sendable (CheckoutRunner, CheckoutControl, @escaping @Sendable (CheckoutProgress) -> Void) async throws(TillError) -> CheckoutReport) {
        let control = CheckoutControl()
        self.control.withLock { $0 = control }
        spawn { [runner, post, weak self] in
            do throws(TillError) {
                let report = try await body(runner, control, { post(.checkout($0)) })
                post(.checkoutFinished(report))
            } catch {
                post(.checkoutFailed(error))
            }
            self?.control.withLock { if $0 === control { $0 = nil } }
        }
    }

    private func spawn(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        tasks.withLock { tasks in
            tasks[id] = Task { [weak self] in
                await work()
                _ = self?.tasks.withLock { $0.removeValue(forKey: id) }
            }
        }
    }
}
