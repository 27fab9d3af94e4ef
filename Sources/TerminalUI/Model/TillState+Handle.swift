import CheckoutCore
import Foundation
import Ledger
import Owner
import QRCode
import Till

extension TillState {
    /// Applies one event and returns the work to start. The only way the state changes.
    public mutating func handle(_ event: TillEvent) -> [TillCommand] {
        switch event {
        case .input(.key(let key)):
            rememberBeforeDigit(key)
            return handleKey(key)
        case .input(.scan(let text, let takingBack)):
            takeBackDigits(takingBack)
            return handleScan(text)
        case .scanner(let status):
            applyScanner(status)
            return []
        case .resized(let newSize):
            size = newSize
            return []
        case .tick(let monotonic, let date):
            now = monotonic
            wall = date
            spinner &+= 1
            return []
        case .checkout(let progress):
            applyProgress(progress)
            return []
        case .checkoutFinished(let report):
            return finishCheckout(report)
        case .checkoutFailed(let why):
            guard checkout != nil else { return [] }
            checkout = nil
            result = ResultView(order: nil, outcome: nil, failure: why)
            screen = .result
            return []
        case .history(let lines):
            history.lines = lines
            history.loaded = true
            history.hasMore = lines.count >= HistoryView.batch
            history.loadingMore = false
            history.selected = min(history.selected, max(0, lines.count - 1))
            refund.selected = min(refund.selected, max(0, refundableLines.count - 1))
            return []
        case .moreHistory(let lines, let cursor):
            // A page for an earlier list (the search changed meanwhile) is dropped.
            guard history.loadingMore, history.lines.last.map({ OrderCursor(after: $0.order) }) == cursor else { return [] }
            history.lines += lines
            history.hasMore = lines.count >= HistoryView.batch
            history.loadingMore = false
            return []
        case .refundFinished(let report):
            return finishRefund(report)
        case .refundFailed(let why):
            refund.failure = why
            refund.step = .failed
            return []
        case .requeried(let report):
            return applyRequery(report)
        case .requeryFailed(let why):
            requerying = nil
            message = Notice(words("handle.requery_failed", ["why": words.reason(why)]), .alert)
            return []
        case .pinChecked(let check):
            return applyPINCheck(check)
        case .report(let figures):
            report.loading = false
            report.figures = figures
            return []
        case .dayClosed(let figures):
            report.loading = false
            report.figures = figures
            message = Notice(words("handle.day_closed"), .info)
            return []
        case .rate(let newRate):
            rate = newRate?.currency == store.currency ? newRate : nil
            return []
        case .receiptPrinted(let error):
            if let error {
                result?.receipt = .failed(error)
                message = Notice(words("handle.receipt_failed", ["why": error]), .warning)
            } else {
                result?.receipt = .printed
            }
            return []
        }
    }

    // Keys the whole till shares, then the current screen's own.
    mutating func handleKey(_ key: Key) -> [TillCommand] {
        if key == .resize { return [] }
        let typing = isTyping
        message = nil
        if key == .function(10) || (key == .character("q") && !typing && screen == .menu) {
            return requestQuit()
        }
        if !isBusy, !typing, case .function(let n) = key, let commands = openFromMenu(functionKey: n) {
            return commands
        }
        switch screen {
        case .sale: return handleSaleKey(key)
        case .checkout: return handleWaitingKey(key)
        case .result: return handleResultKey(key)
        case .menu: return handleMenuKey(key)
        case .history: return handleHistoryKey(key)
        case .refund: return handleRefundKey(key)
        case .report: return handleReportKey(key)
        case .settings: return handleSettingsKey(key)
        }
    }

    /// True while a text field takes every printable key (letters included).
    var isTyping: Bool {
        switch screen {
        case .sale: sale.editingSubject
        case .history: history.searchText != nil
        case .refund: refund.step == .pin || refund.step == .reason
        default: false
        }
    }

    mutating func requestQuit() -> [TillCommand] {
        guard !isBusy else {
            message = Notice(words(checkout != nil ? "handle.quit_paying" : "handle.quit_asking"), .warning)
            return []
        }
        return [.quit]
    }

    mutating func handleScan(_ text: String) -> [TillCommand] {
        let fingerprint = TillState.fingerprint(text)
        let repeated = lastScan.map { $0.fingerprint == fingerprint && now - $0.at < TillState.duplicateScanWindow } ?? false
        lastScan = (fingerprint, now)
        // A scanner often reads the same phone twice: the echo is dropped without a word. Once
        // that payment has ended, the same code again means the cashier is retrying a used code.
        if repeated {
            if checkout == nil && screen == .result {
                message = Notice(words("handle.code_reused"), .warning)
            }
            return []
        }
        if checkout != nil {
            message = Notice(words("handle.scan_ignored"), .warning)
            return []
        }
        switch screen {
        case .sale, .result:
            if screen == .result { leaveResult() }
            return payByScannedCode(text)
        default:
            message = Notice(words("handle.scan_elsewhere"), .warning)
            return []
        }
    }

    /// Hashes the code so a repeat can be told without keeping the code itself.
    static func fingerprint(_ text: String) -> Int {
        var hasher = Hasher()
        hasher.combine(text.trimmingCharacters(in: .whitespacesAndNewlines))
        return hasher.finalize()
    }

    mutating func applyProgress(_ progress: CheckoutProgress) {
        guard var view = checkout else { return }
        switch progress {
        case .recorded(let id):
            view.orderID = id
            view.step = words("checkout.recorded", ["order": id.rawValue])
        case .sending(let what):
            view.step = words("checkout.asking", ["operation": words.operation(what)])
        case .payLink(let link):
            view.payLink = link
            view.linkRows = try? qrRows(link)
        case .showQR(let payload):
            view.qrPayload = payload
            view.qrIsForm = PayLink.isForm(payload)
            do {
                view.qrRows = view.qrIsForm ? nil : try qrRows(payload)
                view.qrError = nil
            } catch {
                view.qrRows = nil
                // A credential too long for any QR code still has its link.
                view.qrError = view.linkRows == nil ? error.description : nil
            }
            view.step = words("checkout.waiting_scan")
        case .waiting(let reason, let elapsed, let deadline, let queries, let notifications):
            view.lastWait = (elapsed, deadline, now)
            view.queries = queries
            view.notifications = notifications
            view.step = waitWords(reason)
        case .finished(let outcome):
            view.step = words.summary(outcome)
        }
        checkout = view
    }

    /// The half-block rows (margin 2) of a QR code of `text`, in this terminal's ink.
    func qrRows(_ text: String) throws(QRCodeError) -> [String] {
        try QRMatrix.encode(text, level: .medium).halfBlockRows(margin: 2, ink: colour ? .light : .dark)
    }

    mutating func finishCheckout(_ report: CheckoutReport) -> [TillCommand] {
        checkout = nil
        var view = ResultView(order: report.order, outcome: report.result, failure: nil)
        view.ledgerProblems = report.ledgerProblems
        var commands: [TillCommand] = []
        switch report.result {
        case .paid:
            sale = SaleEntry()
            view.receipt = .printing
            commands.append(.printReceipt(Receipt.payment(order: report.order, storeName: store.name, timeZone: store.timeZone, training: store.training, words: words)))
        case .unknown:
            // Never offer the same sale again while the first may have been paid.
            sale = SaleEntry()
            if !unresolved.contains(report.order.id) { unresolved.append(report.order.id) }
        case .underpaid:
            // Some money came in: charging the full amount again would take it twice.
            sale = SaleEntry()
        case .declined, .rejected, .cancelled, .expired:
            break  // the amount stays keyed: the customer still has to pay
        }
        result = view
        screen = .result
        return commands
    }

    mutating func applyRequery(_ report: StatusReport) -> [TillCommand] {
        let id = report.order.id
        requerying = nil
        if let index = history.lines.firstIndex(where: { $0.order.id == id }) {
            history.lines[index].order = report.order
        }
        if report.order.status.isFinal { unresolved.removeAll { $0 == id } }
        var commands: [TillCommand] = []
        if var view = result, let shown = view.order, shown.id == id {
            // An order that was in doubt and turns out paid gets its receipt now.
            if shown.status != .paid, report.order.status == .paid {
                view.receipt = .printing
                commands.append(.printReceipt(Receipt.payment(order: report.order, storeName: store.name, timeZone: store.timeZone, training: store.training, words: words)))
            }
            view.order = report.order
            result = view
        }
        var text = words("handle.requeried", ["order": id.rawValue, "status": words.status(report.order.status),
                                              "answer": words.answer(report.gatewayAnswer)])
        if let discrepancy = report.discrepancy { text += " " + words.reason(discrepancy) }
        message = Notice(text, report.discrepancy == nil ? .info : .alert)
        return commands
    }
}
