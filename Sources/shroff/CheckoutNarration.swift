import CheckoutCore
import Till

/// Words for a checkout's progress and its end, shared by `pay`, `qr` and `cancel`.
enum CheckoutNarration {
    static func line(for step: CheckoutProgress) -> String {
        switch step {
        case .recorded(let id): "Order \(id) recorded."
        case .sending(let operation): "Sending \(operation)…"
        case .showQR, .payLink: "Show the QR code to the customer."
        case .waiting(let reason, let elapsed, let deadline, let queries, let notifications):
            "Waiting: \(reason) (\(elapsed.components.seconds) s of \(deadline.components.seconds) s, "
                + (notifications.map { "\($0) notification\($0 == 1 ? "" : "s") received)" } ?? "\(queries) \(queries == 1 ? "query" : "queries"))")
        case .finished(let result): result.summary
        }
    }

    /// The exit status of a checkout: its result's, unless the ledger could not record how it
    /// ended — then the money and the book disagree, and someone must look (exit 4).
    static func exitStatus(_ report: CheckoutReport) -> ExitStatus {
        report.ledgerProblems.isEmpty && report.order.attention == nil ? ExitStatus(report.result) : .attention
    }

    static func finish(_ report: CheckoutReport, output: Output) {
        var object = Output.order(report.order)
        object["result"] = .string(report.result.name)
        object["message"] = .string(report.result.summary)
        object["exit_code"] = .int(Int64(exitStatus(report).rawValue))
        if !report.ledgerProblems.isEmpty {
            object["ledger_problems"] = .array(report.ledgerProblems.map(JSONValue.string))
        }
        if case .declined(let decline) = report.result { object["rescan"] = .bool(decline.reason.rescan) }
        var line = "Order \(report.order.id): \(report.result.summary)"
        // Flagged for a person (an underpayment, a customer who paid too much): say so.
        if let flag = report.order.attention { line += "\nNEEDS ATTENTION: \(flag)" }
        if !report.ledgerProblems.isEmpty {
            line += "\nATTENTION: the ledger does not agree with this ending: \(report.ledgerProblems.joined(separator: "; ")). Check the order with `shroff status \(report.order.id)` before the customer leaves."
        }
        output.result(line, object)

    }
}
