import CheckoutCore
import Foundation
import GRDB

extension Ledger {
    /// The name this process's orders carry as their owner; nil for an in-memory ledger.
    public var ownerID: String? { lease?.id }

    /// Makes this process the owner of an open order, unless another live process owns it.
    ///
    /// True when the order is now this process's: it had no owner, was already ours, or its
    /// owner has died (a `taken-over` event is written); also true, changing nothing, for an
    /// order that is already final. False while another process runs it:
    /// do not query, cancel or close it then. One transaction, so two processes racing for a
    /// dead owner's order never both win.
    public func claim(_ id: OrderID, at: Date) throws(LedgerError) -> Bool {
        guard let lease else { return true }
        return try write { db -> Bool in
            guard var row = try OrderRow.fetchOne(db, key: id.rawValue) else { throw LedgerError.orderNotFound(id) }
            // A final order needs no owner: nothing to take over (the caller reads it afresh).
            if try row.order().status.isFinal { return true }
            if row.owner == lease.id { return true }
            if let owner = row.owner, lease.isAlive(owner) { return false }
            let previous = row.owner
            row.owner = lease.id
            try row.update(db)
            if let previous {
                try EventRow(LedgerEvent(orderID: id, kind: .takenOver,
                                         detail: "taken over by \(lease.id): its owner \(previous) has ended", at: at)).insert(db)
            }
            return true
        }
    }

    /// True while a live process other than this one owns `order`: it is in progress there.
    public func isInProgressElsewhere(_ order: Order) -> Bool {
        guard let lease, let owner = order.owner, owner != lease.id, !order.status.isFinal else { return false }
        return lease.isAlive(owner)
    }

    /// Makes this process the one sending a refund that is not settled, unless another live
    /// process is sending it; the same rule as `claim` for orders.
    ///
    /// True when the refund is now this process's: it had no owner, was already ours, or its
    /// owner has died (a `taken-over` event is written); also true, changing nothing, for a
    /// refund already final. False while another process sends it: do not send it then, so
    /// one refund's look-then-send never races itself. One transaction.
    public func claimRefund(_ id: RefundID, at: Date) throws(LedgerError) -> Bool {
        guard let lease else { return true }
        return try write { db -> Bool in
            guard var row = try RefundRow.fetchOne(db, key: id.rawValue) else { throw LedgerError.refundNotFound(id) }
            let refund = try row.refund()
            if refund.status.isFinal || row.owner == lease.id { return true }
            if let owner = row.owner, lease.isAlive(owner) { return false }
            let previous = row.owner
            row.owner = lease.id
            try row.update(db)
            if let previous {
                try EventRow(LedgerEvent(orderID: refund.orderID, refundID: id, kind: .takenOver,
                                         detail: "refund taken over by \(lease.id): its owner \(previous) has ended", at: at)).insert(db)
            }
            return true
        }
    }

    /// Lets go of a refund this process has stopped sending (settled, or left unknown for a
    /// later run): any shroff may retry it now. A refund another process owns is left alone.
    public func releaseRefund(_ id: RefundID) throws(LedgerError) {
        guard let lease else { return }
        try write { db in
            try db.execute(sql: "UPDATE refunds SET owner = NULL WHERE id = ? AND owner = ?", arguments: [id.rawValue, lease.id])
        }
    }

    /// True while a live process other than this one is sending `refund`.
    public func isInProgressElsewhere(_ refund: Refund) -> Bool {
        guard let lease, let owner = refund.owner, owner != lease.id, !refund.status.isFinal else { return false }
        return lease.isAlive(owner)
    }
}
