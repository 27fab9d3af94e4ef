import ArgumentParser
import CheckoutCore
import Owner
import Till

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
        object["gateway_answer"] = .string(report.gatewayAnswer)
        object["discrepancy"] = .optional(report.discrepancy)
        let status = report.discrepancy == nil ? ExitStatus(report.order.status) : .attention
        object["exit_code"] = .int(Int64(status.rawValue))
        var line = "Order \(report.order.id): \(report.order.status.rawValue.uppercased()) \(report.order.amount) — gateway: \(report.gatewayAnswer)"
        if let discrepancy = report.discrepancy { line += "\nATTENTION: \(discrepancy)" }
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
        guard !trimmedReason.isEmpty else { throw ShroffFailure("Give a reason for the refund with --reason, e.g. --reason \"damaged goods\".") }
        do {
            let store = session.configuration.store
            try ManagerPINGate.require(ManagerPINStore(ledgerPath: store.ledgerPath), fromStandardInput: pinFromStandardInput,
                                       timeZone: store.timeZone)
        } catch {
            await session.close()
            throw error
        }
        let report = try await session.run { () throws(TillError) in
            try await session.runner.refund(id, amount: amount, reason: trimmedReason)
        }
        let status: ExitStatus
        let line: String
        switch report.outcome {
        case .refunded:
            status = .done
            line = "Refund \(report.refund.id) of \(report.refund.amount): REFUNDED. \(report.remaining) can still be refunded."
        case .failed(let why):
            status = .declined
            line = "Refund \(report.refund.id) of \(report.refund.amount): FAILED, nothing was refunded: \(why)"
        case .unknown(let why):
            status = .attention
            line = "Refund \(report.refund.id) of \(report.refund.amount): OUTCOME UNKNOWN (\(why)). Run `shroff refund \(id) --reason ...` again to retry the same refund; it cannot be paid twice."
        case .processing(let gatewayID, let url):
            status = .attention
            line = "Refund \(report.refund.id) of \(report.refund.amount): PROCESSING at the gateway (\(gatewayID)), not refunded yet. "
                + (url.map { "The owner must confirm it by hand: open \($0) (or scan the code above with the owner's phone). " } ?? "")
                + "Run `shroff refund \(id) --reason ...` again to see where it stands; it cannot be paid twice."
        }
        var object: [String: JSONValue] = [
            "order": .string(id.rawValue),
            "refund": .string(report.refund.id.rawValue),
            "status": .string(report.refund.status.rawValue),
            "gateway_refund_id": .optional(report.refund.gatewayRefundID),
            "retried_earlier_refund": .bool(report.retriedEarlierRefund),
            "remaining": .string(report.remaining.decimalString),
            "message": .string(line),
            "exit_code": .int(Int64(status.rawValue)),
        ]
        object.merge(Output.money(report.refund.amount)) { _, new in new }
        let prefix = report.retriedEarlierRefund ? "An earlier refund was left in doubt and has been retried. " : ""
        if case .processing(_, let url?) = report.outcome {
            object["confirmation_url"] = .string(url)
            QRTerminal.draw(url, caption: "Owner: scan with your phone to confirm refund \(report.refund.id)", json: global.json)
        }
        session.output.result(prefix + line, object)
        throw status
    }
}

import Foundation
