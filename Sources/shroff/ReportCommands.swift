import ArgumentParser
import CheckoutCore
import Foundation
import Ledger
import Till
import Words

/// `shroff orders`: the day's orders of this till (or of `--till`, or `--all-tills`) from the
/// ledger, with totals. It reads the ledger only: it answers at once, even while a till on the
/// same ledger waits on a customer.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "List a day's orders of this till (or another, or all) from the ledger, with totals.",
        discussion: """
            Lists this till's orders unless --till NAME or --all-tills says otherwise; each order \
            carries the till that recorded it. Reads the ledger only, so it answers at once. An open order that another shroff is \
            running is IN PROGRESS; one left open by a shroff that has ended, or flagged by a \
            notification (paid after close), NEEDS ATTENTION and the command exits 4. The till, \
            pay and qr settle left-over orders at start; `shroff status ORDER` settles one.
            """)

    @Option(help: ArgumentHelp("The day, YYYY-MM-DD in the store's time zone (default: today).", valueName: "date"))
    var date: String?

    @OptionGroup var tillOptions: TillOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        await session.close()
        let day = try date.map { try session.day($0) } ?? session.today
        let orders: [Order]
        let scope: (tills: TillScope, names: [String])
        var refunded: [OrderID: Money] = [:]
        var tillOf: [OrderID: String] = [:]
        do {
            scope = try tillOptions.scope(session.ledger)
            // One query: the day's orders with their tills and refunded sums.
            let listed = try session.ledger.listedOrders(createdFrom: day.start, to: day.end, tills: scope.tills)
            orders = listed.map(\.order)
            for line in listed { tillOf[line.order.id] = line.till }
            for line in listed where line.order.status == .paid && line.refunded.minorUnits > 0 {
                refunded[line.order.id] = line.refunded
            }
        } catch {
            throw ShroffFailure(error.description)
        }
        let currency = session.currency
        let paid = orders.filter { $0.status == .paid }.map(\.amount.minorUnits).reduce(0, +)
        // The money that came in: every paid order's, and any other order's that got some.
        let came = orders.filter { $0.received != nil && $0.amount.currency == currency }
        let received = came.compactMap(\.received?.minorUnits).reduce(0, +)
        let differing = came.filter { $0.received != $0.amount || $0.status != .paid }.map(\.id)
        let differs = Set(differing)
        let refundTotal = refunded.values.map(\.minorUnits).reduce(0, +)
        let inProgress = Set(orders.filter { session.ledger.isInProgressElsewhere($0) }.map(\.id))
        let attention = orders.filter { ($0.attention != nil || !$0.status.isFinal) && !inProgress.contains($0.id) }
        let words = session.output.words
        let money = { (minor: Int64) in words.amount(Money(minorUnits: minor, currency: currency)) }
        let tills = words.tills(scope.names, all: scope.tills == .allTills)
        var lines = [words("cli.orders.title", ["day": words.day(day.text), "tills": tills])]
        for order in orders {
            var notes = refunded[order.id].map { " " + words("cli.orders.refunded", ["amount": $0.decimalString]) } ?? ""
            if let money = order.received, differs.contains(order.id) { notes += " " + words("cli.orders.received", ["amount": money.decimalString]) }
            let state = inProgress.contains(order.id) ? words("cli.orders.in_progress") : words("report.status.\(order.status.rawValue)")
            // Across tills, each line says which till took the sale.
            let till = scope.tills == .allTills ? "  " + (tillOf[order.id] ?? "") : ""
            lines.append("  \(order.id)  \(pad(state, 11)) \(words.amount(order.amount))  \(words.wallet(order.wallet))\(till)\(notes)")
            if let flag = order.attention { lines.append("      " + words("cli.needs_attention", ["why": flag])) }
        }
        let differences = differing.isEmpty ? "" : " " + words(differing.count == 1 ? "cli.orders.differs_one" : "cli.orders.differs",
                                                                  ["count": String(differing.count),
                                                                   "orders": differing.map(\.rawValue).joined(separator: ", ")])
        lines.append(words("cli.orders.totals", ["paid": money(paid), "received": money(received), "differences": differences,
                                                 "refunded": money(refundTotal), "net": money(paid - refundTotal),
                                                 "orders": String(orders.count), "in_progress": String(inProgress.count),
                                                 "attention": String(attention.count)]))
        if attention.contains(where: { !$0.status.isFinal }) {
            lines.append(words("cli.orders.open_hint"))
        }
        let object: [String: JSONValue] = [
            "date": .string(day.text),
            "tills": .array(scope.names.map { .string($0) }),
            "all_tills": .bool(scope.tills == .allTills),
            "orders": .array(orders.map { order in
                var object = Output.order(order)
                object["till"] = .optional(tillOf[order.id])
                object["refunded"] = .string((refunded[order.id] ?? .zero(order.amount.currency)).decimalString)
                object["in_progress"] = .bool(inProgress.contains(order.id))
                return .object(object)
            }),
            "paid": .string(Money(minorUnits: paid, currency: currency).decimalString),
            "received": .string(Money(minorUnits: received, currency: currency).decimalString),
            "received_differs": .array(differing.map { .string($0.rawValue) }),
            "refunded": .string(Money(minorUnits: refundTotal, currency: currency).decimalString),
            "net": .string(Money(minorUnits: paid - refundTotal, currency: currency).decimalString),
            "currency": .string(currency.code),
            "in_progress": .array(inProgress.sorted().map { .string($0.rawValue) }),
            "needs_attention": .array(attention.map { .string($0.id.rawValue) }),
        ]
        session.output.result(lines.joined(separator: "\n"), object)
        if !attention.isEmpty { throw ExitStatus.attention }
    }
}

/// `shroff reconcile`: the ledger against the gateway's own list.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Compare the ledger with the gateway's order list: missing on either side, amount mismatches.",
        discussion: "Exits 0 when both agree and 4 when something needs attention.")

    @Option(help: ArgumentHelp("The first day, YYYY-MM-DD in the store's time zone.", valueName: "date"))
    var from: String

    @Option(help: ArgumentHelp("The last day, inclusive (default: the first day).", valueName: "date"))
    var to: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let first = try session.day(from)
        let last = try to.map { try session.day($0) } ?? first
        let words = session.output.words
        guard first.start <= last.start else { throw ShroffFailure(words("cli.reconcile.backwards", ["from": first.text, "to": last.text])) }
        let report = try await session.run { () throws(TillError) in try await session.runner.reconcile(from: first.start, to: last.end) }
        var lines = [words("cli.reconcile.title", ["from": words.day(first.text), "to": words.day(last.text), "count": String(report.matched.count)])]
        for order in report.missingAtGateway {
            lines.append("  " + words("cli.reconcile.missing_at_gateway", ["order": order.id.rawValue, "amount": words.amount(order.amount)]))
        }
        for (line, order) in report.missingInLedger {
            let ledger = order.map { words("report.status.\($0.status.rawValue)") } ?? words("cli.reconcile.no_such_order")
            lines.append("  " + words("cli.reconcile.missing_in_ledger", ["order": line.orderID, "amount": words.amount(line.amount),
                                                                          "trade": line.gatewayTradeID, "ledger": ledger]))
        }
        for (order, line) in report.amountMismatches {
            lines.append("  " + words("cli.reconcile.mismatch", ["order": order.id.rawValue, "ledger": words.amount(order.amount),
                                                                 "gateway": words.amount(line.amount)]))
        }
        for refund in report.refundsMissingAtGateway {
            lines.append("  " + words("cli.reconcile.refund_missing_at_gateway", ["refund": refund.id.rawValue, "amount": words.amount(refund.amount)]))
        }
        for line in report.refundsMissingInLedger {
            lines.append("  " + words("cli.reconcile.refund_missing_in_ledger", ["refund": line.refundID ?? "?", "amount": words.amount(line.amount)]))
        }
        if report.isClean { lines.append(words("cli.reconcile.clean")) }
        let object: [String: JSONValue] = [
            "from": .string(first.text), "to": .string(last.text), "clean": .bool(report.isClean),
            "matched": .int(Int64(report.matched.count)),
            "missing_at_gateway": .array(report.missingAtGateway.map { .string($0.id.rawValue) }),
            "missing_in_ledger": .array(report.missingInLedger.map { .object(["order": .string($0.0.orderID), "trade_id": .string($0.0.gatewayTradeID), "amount": .string($0.0.amount.decimalString), "ledger_status": .optional($0.1?.status.rawValue)]) }),
            "amount_mismatches": .array(report.amountMismatches.map { .object(["order": .string($0.0.id.rawValue), "ledger": .string($0.0.amount.decimalString), "gateway": .string($0.1.amount.decimalString)]) }),
            "refunds_missing_at_gateway": .array(report.refundsMissingAtGateway.map { .string($0.id.rawValue) }),
            "refunds_missing_in_ledger": .array(report.refundsMissingInLedger.map { .string($0.refundID ?? "") }),
        ]
        session.output.result(lines.joined(separator: "\n"), object)
        if !report.isClean { throw ExitStatus.attention }
    }
}

/// `shroff rate`: the gateway's exchange rate to CNY.
struct RateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "Show the gateway's exchange rate from the store's currency to CNY.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try await TillSession.open(global)
        let currency = session.currency
        let rate = try await session.run { () throws(TillError) in
            guard session.gateway.capabilities.contains(.exchangeRate) else {
                throw .unsupported(gateway: session.gateway.name, what: "exchange rates")
            }
            do throws(GatewayError) { return try await session.gateway.exchangeRate(for: currency) } catch { throw .gateway(error) }
        }
        let hundred = Money(minorUnits: 100 * currency.minorPerMajor, currency: currency)
        let cny = rate.cnyEquivalent(of: hundred)
        session.output.result("1 \(currency.code) = \(rate.decimalString) CNY (\(hundred) ≈ \(cny?.description ?? "?"))",
                              ["currency": .string(currency.code), "rate": .string(rate.decimalString),
                               "cny_for_100": .optional(cny?.decimalString)])
    }
}

/// `text` padded with spaces to `width` display columns (a Chinese character takes two).
func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - DisplayWidth.of(text)))
}
