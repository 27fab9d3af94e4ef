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
        do { paymentCode = try PaymentCode(scanned: code) } catch { throw ShroffFailure(output.words.reason(error)) }
        output.progress(output.words("cli.charging", ["amount": output.words.amount(amount), "wallet": output.words.wallet(paymentCode.wallet),
                                                       "code": paymentCode.masked]))
        try await session.runCheckout { control throws(TillError) in
            try await session.runner.payByCode(amount, code: paymentCode, subject: subject, control: control,
                                               progress: { output.progress(CheckoutNarration.line(for: $0, output.words)) })
        }
    }
}
