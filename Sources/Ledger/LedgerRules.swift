import CheckoutCore
import Foundation

/// The ledger's write rules, written once over `LedgerStatements`: each backend's public
/// methods call these, so SQLite and PostgreSQL refuse and record exactly the same things.
/// Each method is one transaction of its backend. See `Ledger` for what each one promises.
package struct LedgerRules<Backend: LedgerBackend> {
    package let backend: Backend

    package init(_ backend: Backend) {
        self.backend = backend
    }

    // MARK: Orders

    package func insert(_ order: Order) throws(LedgerError) {
        guard order.amount.minorUnits > 0 else { throw .amountNotPositive(order.amount) }
        try backend.prepareForOrder()
        var row = OrderRow(order)
        row.owner = backend.ownerID
        try backend.transaction(writing: true) { tx in
            guard try !tx.orderExists(row.id) else { throw LedgerError.duplicateOrder(order.id) }
            try tx.insert(row)
            try tx.append(EventRow(LedgerEvent(
                orderID: order.id, kind: .created,
                detail: "\(order.status.rawValue): \(order.amount) by \(order.wallet.displayName) (\(order.method.rawValue)) via \(order.provider)",
                at: order.createdAt)))
        }
    }

    package func order(_ id: OrderID) throws(LedgerError) -> Order? {
        try backend.transaction(writing: false) { tx in try tx.order(id.rawValue) }?.order()
    }

    package func updateOrder(_ id: OrderID, status: OrderStatus, gatewayTradeID: String?, reason: String?,
                             at: Date) throws(LedgerError) -> Order {
        let row = try backend.transaction(writing: true) { tx -> OrderRow in
            guard var row = try tx.order(id.rawValue) else { throw LedgerError.orderNotFound(id) }
            let current = try row.order().status
            let reason = reason.map(SecretMask.scrub)
            var detail: String
            if current.isFinal {
                guard status == current else {
                    throw LedgerError.orderIsFinal(id, status: current, requested: status)
                }
                detail = "\(current.rawValue) confirmed again; nothing changed"
                if let gatewayTradeID, gatewayTradeID != row.gatewayTradeID {
                    detail += " (the answer named gateway trade \(gatewayTradeID); kept \(row.gatewayTradeID ?? "none"))"
                }
            } else {
                row.status = status.rawValue
                // Paid on the gateway's answer, which names no other figure: the amount came in.
                if status == .paid { row.received = row.received ?? row.amount }
                // Ended (or left unknown for a person): no process is running it any more, so
                // any shroff may ask about it now.
                if status != .pending { row.owner = nil }
                row.gatewayTradeID = gatewayTradeID ?? row.gatewayTradeID
                row.statusReason = reason
                row.updatedAt = at.ledgerMillis
                try tx.update(row)
                detail = "\(current.rawValue) → \(status.rawValue)"
                if let trade = row.gatewayTradeID { detail += ", gateway trade \(trade)" }
            }
            if let reason { detail += ": \(reason)" }
            try tx.append(EventRow(LedgerEvent(orderID: id, kind: .status, detail: detail, at: at)))
            return row
        }
        return try row.order()
    }

    // MARK: Owners

    package func claim(_ id: OrderID, at: Date) throws(LedgerError) -> Bool {
        guard let own = backend.ownerID else { return true }
        return try backend.transaction(writing: true) { tx -> Bool in
            guard var row = try tx.order(id.rawValue) else { throw LedgerError.orderNotFound(id) }
            // A final order needs no owner: nothing to take over (the caller reads it afresh).
            if try row.order().status.isFinal { return true }
            if row.owner == own { return true }
            if let owner = row.owner, try tx.ownerIsAlive(owner) { return false }
            let previous = row.owner
            row.owner = own
            try tx.update(row)
            if let previous {
                try tx.append(EventRow(LedgerEvent(orderID: id, kind: .takenOver,
                                                   detail: "taken over by \(own): its owner \(previous) has ended", at: at)))
            }
            return true
        }
    }

    package func isInProgressElsewhere(_ order: Order) -> Bool {
        guard let own = backend.ownerID, let owner = order.owner, owner != own, !order.status.isFinal else { return false }
        return backend.ownerIsAlive(owner)
    }

    package func claimRefund(_ id: RefundID, at: Date) throws(LedgerError) -> Bool {
        guard let own = backend.ownerID else { return true }
        return try backend.transaction(writing: true) { tx -> Bool in
            guard var row = try tx.refund(id.rawValue) else { throw LedgerError.refundNotFound(id) }
            let refund = try row.refund()
            if refund.status.isFinal || row.owner == own { return true }
            if let owner = row.owner, try tx.ownerIsAlive(owner) { return false }
            let previous = row.owner
            row.owner = own
            try tx.update(row)
            if let previous {
                try tx.append(EventRow(LedgerEvent(orderID: refund.orderID, refundID: id, kind: .takenOver,
                                                   detail: "refund taken over by \(own): its owner \(previous) has ended", at: at)))
            }
            return true
        }
    }

    package func releaseRefund(_ id: RefundID) throws(LedgerError) {
        guard let own = backend.ownerID else { return }
        try backend.transaction(writing: true) { tx in try tx.releaseRefund(id.rawValue, owner: own) }
    }

    package func isInProgressElsewhere(_ refund: Refund) -> Bool {
        guard let own = backend.ownerID, let owner = refund.owner, owner != own, !refund.status.isFinal else { return false }
        return backend.ownerIsAlive(owner)
    }

    // MARK: Requests and events

    package func recordAttempt(_ attempt: GatewayAttempt) throws(LedgerError) {
        let row = AttemptRow(attempt)
        try backend.transaction(writing: true) { tx in
            guard try tx.orderExists(row.orderID) else { throw LedgerError.orderNotFound(attempt.orderID) }
            if let refundID = attempt.refundID, try !tx.refundExists(refundID.rawValue) {
                throw LedgerError.refundNotFound(refundID)
            }
            try tx.record(row)
        }
    }

    package func attempts(for orderID: OrderID) throws(LedgerError) -> [GatewayAttempt] {
        let rows = try backend.transaction(writing: false) { tx in try tx.attempts(ofOrder: orderID.rawValue) }
        var attempts: [GatewayAttempt] = []
        attempts.reserveCapacity(rows.count)
        for row in rows { attempts.append(try row.attempt()) }
        return attempts
    }

    package func appendEvent(_ event: LedgerEvent) throws(LedgerError) {
        var row = EventRow(event)
        try backend.transaction(writing: true) { tx in
            if let refundID = event.refundID {
                guard let refund = try tx.refund(refundID.rawValue),
                      event.orderID == nil || event.orderID?.rawValue == refund.orderID
                else { throw LedgerError.refundNotFound(refundID) }
                row.orderID = refund.orderID
            } else if let orderID = event.orderID {
                guard try tx.orderExists(orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
            }
            try tx.append(row)
        }
    }

    package func events(for orderID: OrderID) throws(LedgerError) -> [LedgerEvent] {
        let rows = try backend.transaction(writing: false) { tx in try tx.events(ofOrder: orderID.rawValue) }
        var events: [LedgerEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows { events.append(try row.event()) }
        return events
    }

    // MARK: Refunds

    package func beginRefund(orderID: OrderID, amount: Money, reason: String, at: Date) throws(LedgerError) -> Refund {
        let owner = backend.ownerID
        let row = try backend.transaction(writing: true) { tx -> RefundRow in
            // Read with the order locked: a second till refunding the same order waits here.
            guard let orderRow = try tx.order(orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
            let order = try orderRow.order()
            guard order.status == .paid else { throw LedgerError.orderNotPaid(order.status) }
            guard amount.currency == order.amount.currency else {
                throw LedgerError.currencyMismatch(order: order.amount.currency, requested: amount.currency)
            }
            guard amount.minorUnits > 0 else { throw LedgerError.amountNotPositive(amount) }
            let remaining = try Self.remainder(of: order, tx)
            guard amount.minorUnits <= remaining.minorUnits else {
                throw LedgerError.refundExceedsRemainder(requested: amount, remaining: remaining)
            }
            let sequence = try tx.lastRefundSequence(ofOrder: orderID.rawValue) + 1
            let row = RefundRow(id: RefundID(order: orderID, sequence: Int(sequence)).rawValue, orderID: orderID.rawValue,
                                sequence: sequence, amount: amount.minorUnits, currency: amount.currency.code,
                                reason: SecretMask.scrub(reason), status: RefundStatus.pending.rawValue,
                                gatewayRefundID: nil, statusReason: nil,
                                createdAt: at.ledgerMillis, updatedAt: at.ledgerMillis, owner: owner, origin: RefundOrigin.till.rawValue)
            try tx.insert(row)
            try tx.append(EventRow(LedgerEvent(orderID: orderID, refundID: RefundID(rawValue: row.id), kind: .refundCreated,
                                               detail: "pending: \(amount) of \(remaining) refundable: \(row.reason)", at: at)))
            return row
        }
        return try row.refund()
    }

    package func updateRefund(_ id: RefundID, status: RefundStatus, gatewayRefundID: String?, reason: String?,
                              at: Date) throws(LedgerError) -> Refund {
        let row = try backend.transaction(writing: true) { tx -> RefundRow in
            guard var row = try tx.refund(id.rawValue) else { throw LedgerError.refundNotFound(id) }
            let current = try row.refund()
            let reason = reason.map(SecretMask.scrub)
            var detail: String
            if current.status.isFinal {
                guard status == current.status else {
                    throw LedgerError.refundIsFinal(id, status: current.status, requested: status)
                }
                detail = "\(current.status.rawValue) confirmed again; nothing changed"
            } else {
                row.status = status.rawValue
                row.gatewayRefundID = gatewayRefundID ?? row.gatewayRefundID
                row.statusReason = reason
                row.updatedAt = at.ledgerMillis
                try tx.update(row)
                detail = "\(current.status.rawValue) → \(status.rawValue) (\(current.amount))"
                if let gatewayID = row.gatewayRefundID { detail += ", gateway refund \(gatewayID)" }
            }
            if let reason { detail += ": \(reason)" }
            try tx.append(EventRow(LedgerEvent(orderID: current.orderID, refundID: id, kind: .refundStatus, detail: detail, at: at)))
            return row
        }
        return try row.refund()
    }

    package func refunds(for orderID: OrderID) throws(LedgerError) -> [Refund] {
        let rows = try backend.transaction(writing: false) { tx in try tx.refunds(ofOrder: orderID.rawValue) }
        return try Self.refunds(rows)
    }

    package func refundableRemainder(of orderID: OrderID) throws(LedgerError) -> Money {
        try backend.transaction(writing: false) { tx in
            guard let row = try tx.order(orderID.rawValue) else { throw LedgerError.orderNotFound(orderID) }
            let order = try row.order()
            guard order.status == .paid else { return Money.zero(order.amount.currency) }
            return try Self.remainder(of: order, tx)
        }
    }

    private static func remainder(of order: Order, _ tx: any LedgerStatements) throws -> Money {
        let committed = try tx.committedRefunds(ofOrder: order.id.rawValue)
        return Money(minorUnits: max(0, order.amount.minorUnits - committed), currency: order.amount.currency)
    }

    package static func refunds(_ rows: [RefundRow]) throws(LedgerError) -> [Refund] {
        var refunds: [Refund] = []
        refunds.reserveCapacity(rows.count)
        for row in rows { refunds.append(try row.refund()) }
        return refunds
    }

    package static func orders(_ rows: [OrderRow]) throws(LedgerError) -> [Order] {
        var orders: [Order] = []
        orders.reserveCapacity(rows.count)
        for row in rows { orders.append(try row.order()) }
        return orders
    }
}

extension LedgerBackend {
    /// The rules this backend's write methods follow.
    package var rules: LedgerRules<Self> { LedgerRules(self) }
}
