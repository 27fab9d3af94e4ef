import CheckoutCore
import Foundation

extension LedgerRules {
    package func recordPayLink(token: String, order: OrderID, credential: String, expiresAt: Date, at: Date) throws(LedgerError) {
        try backend.transaction(writing: true) { tx in
            guard try tx.orderExists(order.rawValue) else { throw LedgerError.orderNotFound(order) }
            try tx.insertPayLink(token: token, orderID: order.rawValue, credential: credential,
                                 createdAt: at.ledgerMillis, expiresAt: expiresAt.ledgerMillis)
            // The event never names the token: whoever reads the log must not be able to pay with it.
            try tx.append(EventRow(LedgerEvent(orderID: order, kind: .payLink, detail: "short pay link issued for the QR code", at: at)))
        }
    }

    package func payLinkCredential(token: String, at now: Date) throws(LedgerError) -> String? {
        try backend.transaction(writing: false) { tx in try tx.payLinkCredential(token: token, now: now.ledgerMillis) }
    }
}
