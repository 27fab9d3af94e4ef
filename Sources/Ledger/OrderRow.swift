import CheckoutCore
import Foundation

/// One row of `orders`, as stored. Maps to and from `Order`; never leaves the ledger's targets.
package struct OrderRow: Codable, Sendable {
    package var id: String
    package var provider: String
    package var method: String
    package var wallet: String
    package var amount: Int64
    package var currency: String
    package var subject: String
    package var status: String
    package var maskedCode: String?
    package var gatewayTradeID: String?
    package var statusReason: String?
    package var attention: String?
    package var owner: String?
    /// Minor units of `currency`; NULL in rows written before the ledger kept it (a paid one
    /// reads as its amount) and for orders nothing came in for.
    package var received: Int64?
    package var createdAt: Int64
    package var updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, provider, method, wallet, amount, currency, subject, status, attention, owner, received
        case maskedCode = "masked_code"
        case gatewayTradeID = "gateway_trade_id"
        case statusReason = "status_reason"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// A row as stored, read back from a database.
    package init(id: String, provider: String, method: String, wallet: String, amount: Int64, currency: String,
                 subject: String, status: String, maskedCode: String?, gatewayTradeID: String?, statusReason: String?,
                 attention: String?, owner: String?, received: Int64?, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.provider = provider
        self.method = method
        self.wallet = wallet
        self.amount = amount
        self.currency = currency
        self.subject = subject
        self.status = status
        self.maskedCode = maskedCode
        self.gatewayTradeID = gatewayTradeID
        self.statusReason = statusReason
        self.attention = attention
        self.owner = owner
        self.received = received
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The row for `order`, with its code masked (whatever the caller passed) and its free
    /// text scrubbed of anything shaped like a payment code.
    package init(_ order: Order) {
        id = order.id.rawValue
        provider = order.provider
        method = order.method.rawValue
        wallet = order.wallet.rawValue
        amount = order.amount.minorUnits
        currency = order.amount.currency.code
        subject = SecretMask.scrub(order.subject)
        status = order.status.rawValue
        maskedCode = order.maskedCode.map(PaymentCode.mask)
        gatewayTradeID = order.gatewayTradeID
        statusReason = order.statusReason.map(SecretMask.scrub)
        attention = order.attention.map(SecretMask.scrub)
        owner = order.owner
        received = order.received?.minorUnits
        createdAt = order.createdAt.ledgerMillis
        updatedAt = order.updatedAt.ledgerMillis
    }

    package func order() throws(LedgerError) -> Order {
        let orderID: OrderID
        do { orderID = try OrderID(id) } catch { throw .corrupt("order \"\(id)\" has an invalid number") }
        guard let method = PaymentMethod(rawValue: method) else { throw .corrupt("order \(id) has payment method \"\(method)\"") }
        guard let wallet = Wallet(rawValue: wallet) else { throw .corrupt("order \(id) has wallet \"\(wallet)\"") }
        guard let status = OrderStatus(rawValue: status) else { throw .corrupt("order \(id) has status \"\(status)\"") }
        let money = try RowMapping.money(amount, currency, of: "order \(id)")
        if let received, received < 0 { throw .corrupt("order \(id) has received \(received)") }
        // A paid order written before the ledger kept the money received took its amount.
        let came = received.map { Money(minorUnits: $0, currency: money.currency) } ?? (status == .paid ? money : nil)
        return Order(id: orderID, provider: provider, method: method, wallet: wallet, amount: money,
                     subject: subject, status: status, maskedCode: maskedCode, gatewayTradeID: gatewayTradeID,
                     statusReason: statusReason, attention: attention, owner: owner, received: came,
                     createdAt: Date(ledgerMillis: createdAt), updatedAt: Date(ledgerMillis: updatedAt))
    }
}

/// Reading shared by the row types.
package enum RowMapping {
    package static func money(_ amount: Int64, _ code: String, of what: String) throws(LedgerError) -> Money {
        guard let currency = Currency(code: code), currency.code == code else {
            throw .corrupt("\(what) has currency \"\(code)\", which this till does not know")
        }
        guard amount > 0 else { throw .corrupt("\(what) has amount \(amount)") }
        return Money(minorUnits: amount, currency: currency)
    }

    package static func orderID(_ text: String, of what: String) throws(LedgerError) -> OrderID {
        do { return try OrderID(text) } catch { throw .corrupt("\(what) names an invalid order number") }
    }
}
