import ArgumentParser
import CheckoutCore
import Owner
import TerminalUI
import Till
import Words

/// `shroff status <order>`: ask the gateway about an order and settle it if it is open.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Ask the gateway about an order; an open order is settled (queried, then cancelled or closed once past its deadline).")

    @Argument(help: "The order number, as on the receipt or in `shroff orders`.")
    var order: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let id = try session.parseOrderID(order)
        let report = try await session.run { () throws(TillError) in try await session.runner.status(id) }
        var object = Output.order(report.order)
        object["gateway_answer"] = .string(report.gatewayAnswer.description)
        object["discrepancy"] = .optional(report.discrepancy?.description)
        object["discrepancy_code"] = .optional(report.discrepancy?.code)
        let status = report.discrepancy == nil ? ExitStatus(report.order.status) : .attention
        object["exit_code"] = .int(Int64(status.rawValue))
        let words = session.output.words
        var line = words("cli.status", ["order": report.order.id.rawValue, "status": words.status(report.order.status),
                                        "amount": words.amount(report.order.amount), "answer": words.answer(report.gatewayAnswer)])
        if let discrepancy = report.discrepancy { line += "\n" + words("cli.attention", ["why": words.reason(discrepancy)]) }
        session.output.result(line, object)
        throw status
    }
}

/// `shroff cancel <order>`: cancel or close an open order by hand.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel (scanned payment) or close (QR order) an open order at the gateway. A paid order is refunded instead.")

    @Argument(help: "The order number.")
    var order: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let id = try session.parseOrderID(order)
        let report = try await session.run { () throws(TillError) in try await session.runner.cancel(id) }
        CheckoutNarration.finish(report, output: session.output)
        throw CheckoutNarration.exitStatus(report)
    }
}

/// `shroff refund <order>`: refund part or all of a paid order.
struct RefundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Refund part or all of a paid order.",
        discussion: """
            A refund left in doubt (no clear answer from the gateway) is retried under its own refund \
            number the next time you run this command for the order; no new refund starts until it \
            is settled, so running the command twice never refunds twice. When a manager PIN is set \
            (`shroff set-pin`) it is asked for first, on the terminal without echo, or read from the \
            first line of standard input with --pin-stdin; three wrong PINs, on any till, lock \
            refunds for 5 minutes.
            """)

    @Argument(help: "The order number.")
    var order: String

    @Option(help: ArgumentHelp("The amount to refund in major units; default: all that is left.", valueName: "amount"))
    var amount: String?

    @Option(help: "Why the money goes back (kept in the ledger).")
    var reason: String

    @Flag(name: .customLong("pin-stdin"), help: "Read the manager PIN from the first line of standard input (for scripts), when one is set.")
    var pinFromStandardInput = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let id = try session.parseOrderID(order)
        let amount = try amount.map { try session.parseAmount($0) }
        let trimmedReason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmedReason.isEmpty else { throw ShroffFailure(session.output.words("cli.refund_reason_needed")) }
        do {
            let store = session.configuration.store
            try ManagerPINGate.require(ManagerPINStore(ledgerPath: store.ledgerPath), fromStandardInput: pinFromStandardInput,
                                       timeZone: store.timeZone, words: session.output.words)
        } catch {
            await session.close()
            throw error
        }
        let report = try await session.run { () throws(TillError) in
            try await session.runner.refund(id, amount: amount, reason: trimmedReason)
        }
        let status: ExitStatus = switch report.outcome {
        case .refunded: .done
        case .failed: .declined
        case .unknown, .processing: .attention
        }
        // The JSON keeps its English message; the line for a person is in the run's language.
        func line(_ words: Words) -> String {
            let refund = ["refund": report.refund.id.rawValue, "amount": words.amount(report.refund.amount), "order": id.rawValue]
            switch report.outcome {
            case .refunded:
                return words("cli.refund.refunded", refund.merging(["remaining": words.amount(report.remaining)]) { _, new in new })
            case .failed(let why):
                return words("cli.refund.failed", refund.merging(["why": words.reason(why)]) { _, new in new })
            case .unknown(let doubt):
                return words("cli.refund.unknown", refund.merging(["why": words.reason(doubt)]) { _, new in new })
            case .processing(let gatewayID, let url):
                return words("cli.refund.processing", refund.merging(["gateway_refund": gatewayID]) { _, new in new }) + " "
                    + (url.map { words("cli.refund.confirm_by_hand", ["url": $0]) + " " } ?? "")
                    + words("cli.refund.ask_again", refund)
            }
        }
        var object: [String: JSONValue] = [
            "order": .string(id.rawValue),
            "refund": .string(report.refund.id.rawValue),
            "status": .string(report.refund.status.rawValue),
            "gateway_refund_id": .optional(report.refund.gatewayRefundID),
            "retried_earlier_refund": .bool(report.retriedEarlierRefund),
            "remaining": .string(report.remaining.decimalString),
            "message": .string(line(.english)),
            "reason": .optional(report.outcome.reasonCode),
            "exit_code": .int(Int64(status.rawValue)),
        ]
        object.merge(Output.money(report.refund.amount)) { _, new in new }
        let words = session.output.words
        let prefix = report.retriedEarlierRefund ? words("cli.refund.retried") + " " : ""
        if case .processing(_, let url?) = report.outcome {
            object["confirmation_url"] = .string(url)
            QRTerminal.draw(url, caption: words("cli.refund.owner_scan", ["refund": report.refund.id.rawValue]), json: global.json)
        }
        session.output.result(prefix + line(words), object)
        throw status
    }
}

import Foundation
