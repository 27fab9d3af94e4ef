import CheckoutCore
import Foundation
import Ledger
import Till
import Words

extension Words {
    /// Why the till could not do what was asked, in this language. What a gateway or a system
    /// said in its own words (a message, a path, a database's reason) stays as it came.
    public func reason(_ error: TillError) -> String {
        switch error {
        case .notRecorded(let error): self("till_error.not_recorded", ["why": reason(error)])
        case .ledger(let error): reason(error)
        case .orderNotFound(let id): self("till_error.order_not_found", ["order": id.rawValue])
        case .unsupported(let gateway, let what): self("till_error.unsupported", ["gateway": gateway, "what": what])
        case .inProgressElsewhere(let id): self("till_error.in_progress_elsewhere", ["order": id.rawValue])
        case .refundInProgressElsewhere(let id): self("till_error.refund_in_progress_elsewhere", ["refund": id.rawValue])
        case .providerNotConfigured(let id, let provider): self("till_error.provider_not_configured", ["order": id.rawValue, "provider": provider])
        case .notApplicable(let why): reason(why)
        case .gateway(let error): reason(error)
        }
    }

    /// Why a request makes no sense for the order, in this language.
    public func reason(_ why: Inapplicable) -> String {
        switch why {
        case .alreadySettled(let id, let status): self("inapplicable.already_settled", ["order": id.rawValue, "status": self.status(status)])
        case .nothingToCancel(let id, let status): self("inapplicable.nothing_to_cancel", ["order": id.rawValue, "status": self.status(status)])
        case .paidNotCancellable(let id, let gateway?): self("inapplicable.paid_back_office", ["order": id.rawValue, "gateway": gateway])
        case .paidNotCancellable(let id, nil): self("inapplicable.paid_refund_instead", ["order": id.rawValue])
        case .notPaid(let id, let status): self("inapplicable.not_paid", ["order": id.rawValue, "status": self.status(status)])
        case .fullyRefunded(let id): self("inapplicable.fully_refunded", ["order": id.rawValue])
        }
    }

    /// A gateway's failure outside a payment, in this language; its own words stay as given.
    public func reason(_ error: GatewayError) -> String {
        switch error {
        case .unsupported(let what): self("gateway_error.unsupported", ["what": what])
        case .noAnswer(let why): self("gateway_error.no_answer", ["why": why])
        case .rejected(let problem): reason(problem)
        case .badAnswer(let why): self("gateway_error.bad_answer", ["why": why])
        }
    }

    /// Why the ledger refused or failed, in this language. Paths, servers and the database's
    /// own messages stay as they came.
    public func reason(_ error: LedgerError) -> String {
        switch error {
        case .cannotOpen(let path, let why): self("ledger_error.cannot_open", ["path": path, "why": why])
        case .duplicateOrder(let id): self("ledger_error.duplicate_order", ["order": id.rawValue])
        case .orderNotFound(let id): self("ledger_error.order_not_found", ["order": id.rawValue])
        case .orderIsFinal(let id, let status, let requested):
            self("ledger_error.order_is_final", ["order": id.rawValue, "status": self.status(status), "requested": self.status(requested)])
        case .orderNotPaid(let status): self("ledger_error.order_not_paid", ["status": self.status(status)])
        case .refundExceedsRemainder(let requested, let remaining):
            self("ledger_error.refund_exceeds_remainder", ["requested": amount(requested), "remaining": amount(remaining)])
        case .currencyMismatch(let order, let requested): self("ledger_error.currency_mismatch", ["order": order.code, "requested": requested.code])
        case .amountNotPositive(let money): self("ledger_error.amount_not_positive", ["amount": amount(money)])
        case .refundNotFound(let id): self("ledger_error.refund_not_found", ["refund": id.rawValue])
        case .refundIsFinal(let id, _, _): self("ledger_error.refund_is_final", ["refund": id.rawValue])
        case .dayAlreadyClosed(let day, _): self("ledger_error.day_already_closed", ["day": self.day(day)])
        case .dayHasOpenOrders(let day, let orders):
            self("ledger_error.day_has_open_orders", ["day": self.day(day), "orders": orders.map(\.rawValue).joined(separator: self("list.separator"))])
        case .dayChanged(let day): self("ledger_error.day_changed", ["day": self.day(day)])
        case .notificationMismatch(let id, let why), .foreignTrade(let id, let why), .refundUnbound(let id, let why):
            self("ledger_error.notification_not_applied", ["order": id.rawValue, "why": why])
        case .tradeUnconfirmed(let id, let trade): self("ledger_error.trade_unconfirmed", ["order": id.rawValue, "trade": trade])
        case .ledgerReplaced(let path, let marker, _): self("ledger_error.replaced", ["path": path, "marker": marker])
        case .identityMarkerUnwritable(let marker, let why): self("ledger_error.marker_unwritable", ["marker": marker, "why": why])
        case .diskNearlyFull(let path, let free): self("ledger_error.disk_nearly_full", ["path": path, "kib": String(free / 1024)])
        case .corrupt(let what): self("ledger_error.corrupt", ["what": what])
        case .storage(let path, let code, let message):
            self(Self.storageKey(code), ["place": path ?? ":memory:", "code": String(code), "message": message])
        case .serverUnreachable(let server, let why): self("ledger_error.server_unreachable", ["server": server, "why": why])
        case .server(let server, let sqlState, let message):
            self(Self.serverKey(sqlState), ["server": server, "code": sqlState, "message": message])
        case .schemaTooNew(let server, let found, let known):
            self("ledger_error.schema_too_new", ["server": server, "found": String(found), "known": String(known)])
        case .tillNameTaken(let till, let store, let host): self("ledger_error.till_name_taken", ["till": till, "store": store, "host": host])
        case .unknownTill(let till, let known): self("ledger_error.unknown_till", ["till": till, "tills": known.joined(separator: self("list.separator"))])
        case .importConflict(let id): self("ledger_error.import_conflict", ["order": id.rawValue])
        }
    }

    /// Any failure the till's work can end in, in this language: the till's, the ledger's and
    /// the gateway's own errors are worded; anything else shows its own description.
    public func reason(_ error: any Error) -> String {
        switch error {
        case let error as TillError: reason(error)
        case let error as LedgerError: reason(error)
        case let error as GatewayError: reason(error)
        default: String(describing: error)
        }
    }

    /// SQLite's primary result code (the low byte of the extended one), as `LedgerError` reads it.
    private static func storageKey(_ code: Int32) -> String {
        switch code & 0xFF {
        case 5, 6: "ledger_error.storage.busy"
        case 13: "ledger_error.storage.full"
        case 3, 8, 14: "ledger_error.storage.unwritable"
        case 10: "ledger_error.storage.disk"
        case 11, 26: "ledger_error.storage.damaged"
        case 19: "ledger_error.storage.refused"
        case 21: "ledger_error.storage.closed"
        default: "ledger_error.storage.other"
        }
    }

    /// PostgreSQL's SQLSTATE class, as `LedgerError` reads it.
    private static func serverKey(_ sqlState: String) -> String {
        switch sqlState.prefix(2) {
        case "08", "57": "ledger_error.server.dropped"
        case "28": "ledger_error.server.login"
        case "23": "ledger_error.server.refused"
        case "40": "ledger_error.server.busy"
        case "53": "ledger_error.server.full"
        default: "ledger_error.server.other"
        }
    }
}

extension Words {
    /// What the gateway said when asked about an order, in this language.
    public func answer(_ answer: GatewayAnswer) -> String {
        switch answer {
        case .settled(let result): summary(result)
        case .verdict(let verdict): self.answer(verdict)
        case .cannotBeAsked(let gateway): self("answer.cannot_be_asked", ["gateway": gateway])
        }
    }

    /// How the gateway disagrees with the ledger, in this language; a flag the ledger kept is
    /// shown as it was written.
    public func reason(_ discrepancy: Discrepancy) -> String {
        switch discrepancy {
        case .otherAmount(let reported, let recorded):
            self("discrepancy.other_amount", ["reported": amount(reported), "recorded": amount(recorded)])
        case .noLongerPaid(let verdict): self("discrepancy.no_longer_paid", ["answer": answer(verdict)])
        case .paidAtGateway(let recorded, let paid, let trade):
            self("discrepancy.paid_at_gateway", ["status": status(recorded), "amount": amount(paid), "trade": trade])
        case .flagged(let note): note
        }
    }

    /// How a refund ended, in a few words of this language, for a line about one settled in the
    /// background.
    public func summary(_ outcome: RefundReport.Outcome) -> String {
        switch outcome {
        case .refunded: self("refund_outcome.refunded")
        case .failed(let why): self("refund_outcome.failed", ["why": reason(why)])
        case .unknown(let doubt): self("refund_outcome.unknown", ["why": reason(doubt)])
        case .processing(let id, nil): self("refund_outcome.processing", ["refund": id])
        case .processing(let id, let url?): self("refund_outcome.processing_confirm", ["refund": id, "url": url])
        }
    }
}
