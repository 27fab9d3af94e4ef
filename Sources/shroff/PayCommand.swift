import ArgumentParser
import CheckoutCore
import Till

/// `shroff pay`: charge the payment code on the customer's phone.
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay",
        abstract: "Charge a WeChat Pay or Alipay payment code scanned from the customer's phone.",
        discussion: "Waits while the customer confirms on the phone (querying every poll_interval_s), and cancels the order if there is no final answer within pay_timeout_s.")

    @Option(help: ArgumentHelp("The amount in major units of the store's currency, e.g. 12.30.", valueName: "amount"))
    var amount: String

    @Option(help: ArgumentHelp("The payment code as scanned (18 digits for WeChat Pay, 16–24 for Alipay).", valueName: "code"))
    var code: String

    @Option(help: "What is sold, as the customer's wallet shows it.")
    var subject = "Purchase"

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let output = session.output
        let amount = try session.parseAmount(amount)
        let paymentCode: PaymentCode
        do { paymentCode = try PaymentCode(scanned: code) } catch { throw ShroffFailure(error.description) }
        output.progress("Charging \(amount) to \(paymentCode.wallet.displayName) code \(paymentCode.masked)…")
        try await session.runCheckout { control throws(TillError) in
            try await session.runner.payByCode(amount, code: paymentCode, subject: subject, control: control,
                                               progress: { output.progress(CheckoutNarration.line(for: $0)) })
        }
    }
}

/// Words for a checkout's progress and its end, shared by `pay`, `qr` and `cancel`.
enum CheckoutNarration {
    static func line(for step: CheckoutProgress) -> String {
        switch step {
        case .recorded(let id): "Order \(id) recorded."
        case .sending(let operation): "Sending \(operation)…"
        case .showQR: "Show the QR code to the customer."
        case .waiting(let reason, let elapsed, let deadline, let queries):
            "Waiting: \(reason) (\(elapsed.components.seconds) s of \(deadline.components.seconds) s, \(queries) \(queries == 1 ? "query" : "queries"))"
        case .finished(let result): result.summary
        }
    }

    static func finish(_ report: CheckoutReport, output: Output) {
        var object = Output.order(report.order)
        object["result"] = .string(report.result.name)
        object["message"] = .string(report.result.summary)
        object["exit_code"] = .int(Int64(ExitStatus(report.result).rawValue))
        if !report.ledgerProblems.isEmpty {
            object["ledger_problems"] = .array(report.ledgerProblems.map(JSONValue.string))
        }
        if case .declined(let decline) = report.result { object["rescan"] = .bool(decline.reason.rescan) }
        output.result("Order \(report.order.id): \(report.result.summary)", object)
        for problem in report.ledgerProblems { output.progress("Ledger: \(problem)") }
    }
}
