import CheckoutCore
import HTTPTransport

/// A Wantu answer that arrived, parsed and with its signature verified — or why it cannot be believed.
enum WantuAnswer {
    /// Signed correctly; `code` is the return_code (nil if it is not one Wantu documents).
    case verified(code: Int?, fields: [String: WantuJSON])
    /// No answer to judge by: the transport failed, the server erred, or the reply is unreadable or badly signed.
    case untrusted(why: String, requestMayHaveArrived: Bool)
    /// Signed correctly, but about something else than the request asked: its echoed order,
    /// trade, refund, merchant or store is not the request's. Never paid, declined or
    /// cancelled on its word: `why` says what differed.
    case foreign(why: String)

    init(response: HTTPResponse, key: String) {
        guard (200..<300).contains(response.status) else {
            self = .untrusted(why: "HTTP \(response.status) from Wantu", requestMayHaveArrived: true)
            return
        }
        guard let object = WantuWire.decodeObject(response.body) else {
            self = .untrusted(why: "Wantu's answer is not JSON", requestMayHaveArrived: true)
            return
        }
        guard WantuSignature.verify(WantuWire.signingParameters(object), key: key) else {
            var why = object["sign"] == nil ? "Wantu's answer is not signed" : "Wantu's answer has a wrong signature"
            // Not believed, but worth saying: a till with the wrong key sees nothing but this.
            if let code = object["return_code"]?.text, code != "200" {
                why += " (it claims \(code) \(object["return_msg"]?.text ?? "")); if every answer is like this, check the key in the configuration"
            }
            self = .untrusted(why: why, requestMayHaveArrived: true)
            return
        }
        self = .verified(code: object["return_code"]?.text.flatMap { Int($0) }, fields: object)
    }

    /// The same answer, or `foreign` when a verified answer echoes another order, trade,
    /// refund, merchant or store than `request` named. A field the answer leaves out is not
    /// compared: Wantu's documents leave most of them out of most answers (cancel and close
    /// echo none).
    func bound(to request: [String: String]) -> WantuAnswer {
        guard case .verified(_, let fields) = self else { return self }
        for (name, what) in Self.echoes {
            guard let asked = request[name], !asked.isEmpty, let echoed = fields.text(name), echoed != asked else { continue }
            return .foreign(why: "Wantu's answer names \(what) \(echoed), but the request named \(asked): an answer about another \(what) is not believed")
        }
        return self
    }

    /// The fields an answer echoes from its request, and what each names, for the words.
    static let echoes = [("out_trade_no", "order"), ("trade_id", "trade"), ("out_refund_no", "refund"),
                         ("merchant_account", "merchant account"), ("store_account", "store account")]
}

extension [String: WantuJSON] {
    func text(_ name: String) -> String? {
        guard let value = self[name]?.text, !value.isEmpty else { return nil }
        return value
    }

    /// Wantu's explanation of a failure: return_desc when given, else return_msg.
    var explanation: String {
        let message = text("return_msg") ?? "no message"
        if let desc = text("return_desc") { return "\(message): \(desc)" }
        return message
    }

    /// An amount in minor units (`total_fee`, `refund_fee`) with its currency field, or nil if either is unreadable.
    func money(_ amountField: String, currencyField: String, default currency: Currency) -> Money? {
        guard let amountText = text(amountField), let minor = Int64(amountText), minor >= 0 else { return nil }
        guard let code = text(currencyField) else { return Money(minorUnits: minor, currency: currency) }
        guard let stated = Currency(code: code) else { return nil }
        return Money(minorUnits: minor, currency: stated)
    }
}
