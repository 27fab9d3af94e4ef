import CheckoutCore
import Foundation

extension LedgerRules {
    /// Applies a verified payment notification in one transaction, writing its body to the
    /// event log when it changes anything.
    ///
    /// Refused with `.orderNotFound` or `.notificationMismatch` (wrong provider, amount or
    /// currency), changing nothing. A notification that repeats what the ledger holds changes
    /// nothing. Only `paid`, `underpaid` and `declined` move an open order: `paid` records the
    /// money received with it; `underpaid` makes it `declined` (not paid), records what came
    /// in and flags it. An order that is already final and is now reported paid or underpaid
    /// under another trade keeps its status, adds that money to what it received, and gets
    /// `attention` set.
    package func applyNotification(_ notification: LedgerNotification) throws(LedgerError) -> NotificationOutcome {
        try backend.transaction(writing: true) { tx in
            try Self.announcing(notification.orderID, tx) { try Self.apply(notification, tx) }
        }
    }

    /// Runs `apply` and, when it changed the order, announces the change in the same
    /// transaction: a waiting till hears of it only once it is committed.
    private static func announcing(_ id: OrderID, _ tx: any LedgerStatements,
                                   _ apply: () throws -> NotificationOutcome) throws -> NotificationOutcome {
        let outcome = try apply()
        switch outcome {
        case .applied, .paidAfterClose, .secondPayment, .underpaid, .refundApplied, .externalRefund:
            try tx.announceChange(ofOrder: id.rawValue)
        case .duplicate, .noted:
            break
        }
        return outcome
    }

    private static func apply(_ notification: LedgerNotification, _ tx: any LedgerStatements) throws -> NotificationOutcome {
        let id = notification.orderID
        guard var row = try tx.order(id.rawValue) else { throw LedgerError.orderNotFound(id) }
        let order = try row.order()
        guard order.provider == notification.provider else {
            throw LedgerError.notificationMismatch(id, "it came from \(notification.provider), but the order was made with \(order.provider)")
        }
        let body = SecretMask.scrub(notification.body)
        func log(_ summary: String) throws {
            try tx.append(EventRow(LedgerEvent(orderID: id, kind: .notification, detail: "\(summary): \(body)", at: notification.at)))
        }
        switch notification.verdict {
        case .paid(let confirmation):
            try Self.bind(confirmation, to: order, notification.binding)
            try Self.check(confirmation, against: order)
            switch order.status {
            case .pending, .unknown:
                row.status = OrderStatus.paid.rawValue
                row.gatewayTradeID = confirmation.gatewayTradeID
                row.statusReason = nil
                row.received = confirmation.received.minorUnits
                row.updatedAt = notification.at.ledgerMillis
                // Paid, but with something a person must see (a customer who paid too much).
                if let flag = confirmation.attention { row.attention = Self.adding(SecretMask.scrub(flag), to: row.attention) }
                try tx.update(row)
                try log("\(order.status.rawValue) → paid by notification, gateway trade \(confirmation.gatewayTradeID)"
                    + (confirmation.received == confirmation.amount ? "" : ", \(confirmation.received) received")
                    + (confirmation.attention.map { "; ATTENTION \($0)" } ?? ""))
                return .applied(.paid)
            case .paid:
                if order.gatewayTradeID == confirmation.gatewayTradeID { return .duplicate }
                // A gateway that sent no trade number of its own names the payment by our
                // order number (the aggregator's optional platform_order_no): that is the
                // payment already recorded, not a second one.
                if confirmation.gatewayTradeID == order.id.rawValue { return .duplicate }
                if order.gatewayTradeID == nil {
                    row.gatewayTradeID = confirmation.gatewayTradeID
                    try tx.update(row)
                    try log("paid confirmed by notification, gateway trade \(confirmation.gatewayTradeID)")
                    return .duplicate
                }
                let flag = "second payment: the gateway reports trade \(confirmation.gatewayTradeID) paid for an order already paid as trade \(order.gatewayTradeID ?? "?"); check both with the gateway and refund one"
                return try Self.flagMoney(confirmation, flag, &row, at: notification.at, tx, log) ? .secondPayment : .duplicate
            case .declined, .cancelled, .expired:
                let flag = "paid after close: the gateway reports \(confirmation.amount) paid (trade \(confirmation.gatewayTradeID)) for an order the till had \(order.status.rawValue); the customer was charged — hand over the goods or refund it"
                    + (confirmation.received == confirmation.amount ? "" : " (\(confirmation.receivedOfAmount))")
                    + (confirmation.attention.map { "; \($0)" } ?? "")
                return try Self.flagMoney(confirmation, flag, &row, at: notification.at, tx, log) ? .paidAfterClose : .duplicate
            }
        case .underpaid(let confirmation):
            try Self.bind(confirmation, to: order, notification.binding)
            try Self.check(confirmation, against: order)
            let flag = Self.underpaidFlag(confirmation)
            switch order.status {
            case .pending, .unknown:
                row.status = OrderStatus.declined.rawValue
                row.gatewayTradeID = confirmation.gatewayTradeID
                row.statusReason = "UNDERPAID: \(confirmation.receivedOfAmount); not paid"
                row.received = confirmation.received.minorUnits
                row.attention = Self.adding(flag, to: row.attention)
                row.updatedAt = notification.at.ledgerMillis
                try tx.update(row)
                try log("\(order.status.rawValue) → declined by notification: ATTENTION \(flag)")
                return .underpaid
            case .paid:
                if order.gatewayTradeID == confirmation.gatewayTradeID { return .duplicate }
                let second = "second payment: the gateway reports trade \(confirmation.gatewayTradeID) \(flag) for an order already paid as trade \(order.gatewayTradeID ?? "?")"
                return try Self.flagMoney(confirmation, second, &row, at: notification.at, tx, log) ? .secondPayment : .duplicate
            case .declined, .cancelled, .expired:
                let late = "after close (the till had it \(order.status.rawValue)): \(flag)"
                return try Self.flagMoney(confirmation, late, &row, at: notification.at, tx, log) ? .paidAfterClose : .duplicate
            }
        case .declined(let decline):
            if notification.binding == .recordedTrade { return .noted }
            switch order.status {
            case .pending, .unknown:
                row.status = OrderStatus.declined.rawValue
                row.statusReason = SecretMask.scrub("DECLINED: \(decline.reason.advice) (gateway: \(decline.gatewayMessage))")
                row.updatedAt = notification.at.ledgerMillis
                try tx.update(row)
                try log("\(order.status.rawValue) → declined by notification")
                return .applied(.declined)
            default:
                return .duplicate
            }
        case .userPaying, .notPaid, .notFound, .inDoubt, .rejected:
            return .noted
        }
    }

    /// Refuses a confirmation that does not bind to the order: under a trade binding, another
    /// trade than the one recorded (`.foreignTrade`), or none recorded yet (`.tradeUnconfirmed`).
    static func bind(_ confirmation: PaymentConfirmation, to order: Order, _ binding: LedgerNotification.Binding) throws(LedgerError) {
        guard binding != .orderNumber else { return }
        if let recorded = order.gatewayTradeID, recorded != confirmation.gatewayTradeID {
            throw LedgerError.foreignTrade(order.id, "it names trade \(confirmation.gatewayTradeID), but the order was made as trade \(recorded)")
        }
        if order.gatewayTradeID == nil, binding == .recordedTrade {
            throw LedgerError.tradeUnconfirmed(order.id, trade: confirmation.gatewayTradeID)
        }
    }

    /// Flags an order for a person, keeping any flag it has, with an event; the status is kept.
    package func flag(_ id: OrderID, attention: String, at: Date) throws(LedgerError) {
        try backend.transaction(writing: true) { tx in
            guard var row = try tx.order(id.rawValue) else { throw LedgerError.orderNotFound(id) }
            let flag = SecretMask.scrub(attention)
            guard row.attention?.contains(flag) != true else { return }
            row.attention = Self.adding(flag, to: row.attention)
            row.updatedAt = at.ledgerMillis
            try tx.update(row)
            try tx.append(EventRow(LedgerEvent(orderID: id, kind: .note, detail: "ATTENTION \(flag)", at: at)))
        }
    }

    /// Refuses a confirmation for another currency or price than the order's.
    private static func check(_ confirmation: PaymentConfirmation, against order: Order) throws(LedgerError) {
        guard confirmation.amount.currency == order.amount.currency, confirmation.received.currency == order.amount.currency else {
            throw LedgerError.notificationMismatch(order.id, "it is in \(confirmation.amount.currency.code), the order in \(order.amount.currency.code)")
        }
        guard confirmation.amount == order.amount else {
            throw LedgerError.notificationMismatch(order.id, "it reports \(confirmation.amount) paid for an order of \(order.amount)")
        }
    }

    /// The flag of an underpaid order: what came in of what, and what a person can do.
    static func underpaidFlag(_ confirmation: PaymentConfirmation) -> String {
        "underpaid: \(confirmation.receivedOfAmount) (trade \(confirmation.gatewayTradeID)), so the order is not paid; take the rest another way, or refund the \(confirmation.received) in the gateway's back office"
    }

    /// Money reported for an order that is already paid or closed, under a trade not yet
    /// recorded: flagged, and added to what the order received (the money did come in).
    /// False, changing nothing, when a flag already names the trade (a resend).
    private static func flagMoney(_ confirmation: PaymentConfirmation, _ flag: String, _ row: inout OrderRow, at: Date,
                                  _ tx: any LedgerStatements, _ log: (String) throws -> Void) throws -> Bool {
        if names(confirmation.gatewayTradeID, in: row.attention) { return false }
        row.attention = adding(flag, to: row.attention)
        row.gatewayTradeID = row.gatewayTradeID ?? confirmation.gatewayTradeID
        row.received = (row.received ?? (row.status == OrderStatus.paid.rawValue ? row.amount : 0)) + confirmation.received.minorUnits
        row.updatedAt = at.ledgerMillis
        try tx.update(row)
        try log("ATTENTION \(flag)")
        return true
    }

    /// True when a flag already names this trade: a resend of it changes nothing.
    static func names(_ trade: String, in attention: String?) -> Bool {
        guard let attention else { return false }
        return attention.contains("trade \(trade) ") || attention.contains("trade \(trade))")
    }

    /// Every flag an order collects is kept: a second charge must not hide the first one.
    static func adding(_ flag: String, to existing: String?) -> String {
        guard let existing, !existing.isEmpty else { return flag }
        return existing + "; also " + flag
    }

    /// Applies a verified refund notification in one transaction.
    ///
    /// It binds to a refund of ours only by a name: our refund number, or the gateway refund id
    /// recorded for it — never as the one refund left. A pending or unknown refund so named
    /// becomes `refunded` or `failed`; a final one is left as it is. Under `.recordedTrade` the
    /// refund must be of the trade recorded for the order (`.foreignTrade` otherwise, and
    /// `.tradeUnconfirmed` while none is). A `refunded` that names none of ours, with its
    /// gateway id and amount, is money refunded elsewhere (the gateway's back office): it is
    /// recorded once as an external refund (`<order>X<n>`) and the order flagged — unless it
    /// may be a refund of ours still in doubt (`.refundUnbound`). Anything else naming none of
    /// ours (a FAILED or PROCESSING refund made elsewhere) is only noted.
    package func applyRefundNotification(_ notification: LedgerRefundNotification) throws(LedgerError) -> NotificationOutcome {
        let orderID = notification.orderID
        var notice = notification.notice
        if notice.gatewayRefundID == nil {
            switch notification.verdict {
            case .refunded(let gatewayID), .processing(let gatewayID, _): notice.gatewayRefundID = gatewayID
            case .declined, .inDoubt, .rejected: break
            }
        }
        return try backend.transaction(writing: true) { tx in
            try Self.announcing(orderID, tx) { try Self.apply(notification, notice, tx) }
        }
    }

    private static func apply(_ notification: LedgerRefundNotification, _ notice: RefundNotice,
                              _ tx: any LedgerStatements) throws -> NotificationOutcome {
        let orderID = notification.orderID
        guard var orderRow = try tx.order(orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
        guard orderRow.provider == notification.provider else {
            throw LedgerError.notificationMismatch(orderID, "it came from \(notification.provider), but the order was made with \(orderRow.provider)")
        }
        if notification.binding == .recordedTrade {
            let named = notice.gatewayTradeID ?? "(none)"
            guard let recorded = orderRow.gatewayTradeID else { throw LedgerError.tradeUnconfirmed(orderID, trade: named) }
            guard named == recorded else {
                throw LedgerError.foreignTrade(orderID, "it is a refund of trade \(named), but the order was made as trade \(recorded)")
            }
        }
        let refunds = try tx.refunds(ofOrder: orderID.rawValue)
        let byNumber = notice.refundID.flatMap { number in refunds.first { $0.id == number.rawValue } }
        let byGatewayID = notice.gatewayRefundID.flatMap { gatewayID in refunds.first { $0.gatewayRefundID == gatewayID } }
        if let byNumber, let byGatewayID, byNumber.id != byGatewayID.id {
            throw LedgerError.notificationMismatch(orderID, "it names refund \(byNumber.id) by number but \(byGatewayID.id) by the gateway's refund id")
        }
        guard var row = byNumber ?? byGatewayID else {
            return try Self.recordElsewhere(notification, notice, order: &orderRow, refunds: refunds, tx)
        }
        let current = try row.refund()
        if let gatewayID = notice.gatewayRefundID, let known = row.gatewayRefundID, gatewayID != known {
            throw LedgerError.notificationMismatch(orderID, "it names gateway refund \(gatewayID), but refund \(row.id) is \(known)")
        }
        if let amount = notice.amount, amount != current.amount {
            throw LedgerError.notificationMismatch(orderID, "it reports \(amount) refunded, but refund \(row.id) is for \(current.amount)")
        }
        let target: RefundStatus
        switch notification.verdict {
        case .refunded(let gatewayID):
            target = .refunded
            row.gatewayRefundID = row.gatewayRefundID ?? gatewayID
        case .declined:
            target = .failed
        case .inDoubt, .rejected, .processing:
            return .noted
        }
        guard !current.status.isFinal else { return .duplicate }
        row.status = target.rawValue
        row.updatedAt = notification.at.ledgerMillis
        try tx.update(row)
        try tx.append(EventRow(LedgerEvent(orderID: orderID, refundID: current.id, kind: .notification,
                                 detail: "\(current.status.rawValue) → \(target.rawValue) by notification: \(SecretMask.scrub(notification.body))",
                                 at: notification.at)))
        return .refundApplied(target)
    }

    /// A refund notification that names none of the order's refunds (`refunds`): a refund made
    /// elsewhere, recorded once when it moved money; see `applyRefundNotification`.
    private static func recordElsewhere(_ notification: LedgerRefundNotification, _ notice: RefundNotice, order: inout OrderRow,
                                        refunds: [RefundRow], _ tx: any LedgerStatements) throws -> NotificationOutcome {
        let orderID = notification.orderID
        // Only money that left counts; a FAILED or PROCESSING refund of another's changes nothing here.
        guard case .refunded = notification.verdict else { return .noted }
        guard let gatewayID = notice.gatewayRefundID, let amount = notice.amount else {
            throw LedgerError.refundNotFound(notice.refundID ?? RefundID(rawValue: "\(orderID)R?"))
        }
        let orderAmount = try order.order().amount
        guard amount.currency == orderAmount.currency, amount.minorUnits > 0 else {
            throw LedgerError.notificationMismatch(orderID, "it reports a refund of \(amount) on an order of \(orderAmount)")
        }
        let inDoubt = refunds.filter {
            $0.origin == RefundOrigin.till.rawValue && $0.gatewayRefundID == nil && $0.amount == amount.minorUnits
                && ($0.status == RefundStatus.pending.rawValue || $0.status == RefundStatus.unknown.rawValue)
        }
        if !inDoubt.isEmpty {
            let names = inDoubt.map(\.id).joined(separator: ", ")
            throw LedgerError.refundUnbound(orderID, "gateway refund \(gatewayID) of \(amount) names no refund of ours, and \(names) of the same amount is still in doubt: it may be \(inDoubt.count == 1 ? "that one" : "one of them")")
        }
        if refunds.contains(where: { $0.origin == RefundOrigin.external.rawValue && $0.gatewayRefundID == gatewayID }) {
            return .duplicate
        }
        let sequence = (refunds.map(\.sequence).max() ?? 0) + 1
        let id = RefundID(order: orderID, sequence: Int(sequence), origin: .external)
        let at = notification.at.ledgerMillis
        let row = RefundRow(id: id.rawValue, orderID: orderID.rawValue, sequence: sequence, amount: amount.minorUnits,
                            currency: amount.currency.code, reason: "made outside the till (gateway refund \(gatewayID))",
                            status: RefundStatus.refunded.rawValue, gatewayRefundID: gatewayID, statusReason: nil,
                            createdAt: at, updatedAt: at, origin: RefundOrigin.external.rawValue)
        try tx.insert(row)
        try tx.append(EventRow(LedgerEvent(orderID: orderID, refundID: id, kind: .refundCreated,
                                 detail: "refunded outside the till, by notification: \(SecretMask.scrub(notification.body))",
                                 at: notification.at)))
        let unpaid = order.status == OrderStatus.paid.rawValue ? "" : "; the ledger has the order \(order.status), not paid: check its payment too"
        let flag = "refund made outside the till: the gateway refunded \(amount) (gateway refund \(gatewayID)) that the till never asked for; it is recorded as \(id) and counted in the day's totals — check it in the gateway's back office\(unpaid)"
        order.attention = adding(flag, to: order.attention)
        order.updatedAt = at
        try tx.update(order)
        try tx.append(EventRow(LedgerEvent(orderID: orderID, kind: .note, detail: "ATTENTION \(flag)", at: notification.at)))
        return .externalRefund
    }
}
