import CheckoutCore
import Foundation
import Words

/// Where a command's words go: lines for a person on standard output (progress on standard
/// error), in the run's language, or one JSON object with English keys and codes. Training mode
/// is said on every line and in every object.
struct Output: Sendable {
    let json: Bool
    let training: Bool
    /// The language of the lines for a person; JSON never changes with it.
    var words: Words = .english

    /// The final words of a command.
    func result(_ line: String, _ object: [String: JSONValue]) {
        if json {
            var object = object
            object["training"] = .bool(training)
            print(JSONValue.object(object).rendered)
        } else {
            print(prefix + line)
        }
    }

    /// A step along the way, for a person watching; nothing in JSON mode.
    func progress(_ line: String) {
        guard !json else { return }
        FileHandle.standardError.write(Data((prefix + line + "\n").utf8))
    }

    var prefix: String { training ? words("output.training_prefix") : "" }

    static func money(_ money: Money) -> [String: JSONValue] {
        ["amount": .string(money.decimalString), "currency": .string(money.currency.code), "minor_units": .int(money.minorUnits)]
    }

    static func order(_ order: Order) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "order": .string(order.id.rawValue),
            "status": .string(order.status.rawValue),
            "method": .string(order.method.rawValue),
            "wallet": .string(order.wallet.rawValue),
            "subject": .string(order.subject),
            "code": .optional(order.maskedCode),
            "gateway_trade_id": .optional(order.gatewayTradeID),
            "reason": .optional(order.statusReason),
            "attention": .optional(order.attention),
            "received": .optional(order.received?.decimalString),
            "created_at": .string(order.createdAt.formatted(.iso8601)),
        ]
        object.merge(money(order.amount)) { _, new in new }
        return object
    }
}

extension CheckoutResult {
    var name: String {
        switch self {
        case .paid: "paid"
        case .underpaid: "underpaid"
        case .declined: "declined"
        case .rejected: "rejected"
        case .cancelled: "cancelled"
        case .expired: "expired"
        case .unknown: "unknown"
        }
    }
}
