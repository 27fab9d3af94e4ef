import CheckoutCore
import Till
import Words

/// Words for a checkout's progress and its end, shared by `pay`, `qr` and `cancel`.
enum CheckoutNarration {
    static func line(for step: CheckoutProgress, _ words: Words) -> String {
        switch step {
        case .recorded(let id): return words("cli.recorded", ["order": id.rawValue])
        case .sending(let operation): return words("cli.sending", ["operation": words.operation(operation)])
        case .showQR, .payLink: return words("cli.show_qr")
        case .waiting(let reason, let elapsed, let deadline, let queries, let notifications):
            let times = ["reason": waitWords(reason, words), "elapsed": String(elapsed.components.seconds), "deadline": String(deadline.components.seconds)]
            if let notifications {
                return words(notifications == 1 ? "cli.waiting_notification" : "cli.waiting_notifications",
                             times.merging(["count": String(notifications)]) { _, new in new })
            }
            return words(queries == 1 ? "cli.waiting_query" : "cli.waiting_queries", times.merging(["count": String(queries)]) { _, new in new })
        case .finished(let result): return words.summary(result)
        }
    }

    /// Why the checkout waits, in `words`' language (a gateway's own words as it gave them).
    static func waitWords(_ reason: WaitReason, _ words: Words) -> String {
        switch reason {
        case .customerScanning: words("wait.customer_scanning")
        case .confirming: words("wait.confirming")
        case .notification(let gateway): words("wait.notification", ["gateway": gateway])
        case .doubt(let doubt): words.reason(doubt)
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
        object["reason"] = .optional(report.result.reasonCode)
        object["exit_code"] = .int(Int64(exitStatus(report).rawValue))
        if !report.ledgerProblems.isEmpty {
            object["ledger_problems"] = .array(report.ledgerProblems.map(JSONValue.string))
        }
        if case .declined(let decline) = report.result { object["rescan"] = .bool(decline.reason.rescan) }
        let words = output.words
        var line = words("cli.order_result", ["order": report.order.id.rawValue, "summary": words.summary(report.result)])
        // Flagged for a person (an underpayment, a customer who paid too much): say so.
        if let flag = report.order.attention { line += "\n" + words("cli.needs_attention", ["why": flag]) }
        if !report.ledgerProblems.isEmpty {
            line += "\n" + words("cli.ledger_disagrees", ["problems": report.ledgerProblems.joined(separator: "; "), "order": report.order.id.rawValue])
        }
        output.result(line, object)

    }
}
