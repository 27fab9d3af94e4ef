import CheckoutCore
import Foundation
import WantuGateway

/// A request body as Wantu reads it: a JSON object whose values may be strings or numbers.
struct WantuRequest: Sendable {
    /// nil when the body is not a JSON object (an HTML page, a truncated body, a JSON list).
    let fields: [String: WantuJSON]?

    init(body: [UInt8]) {
        fields = WantuWire.decodeObject(body)
    }

    /// A parameter's text, or nil when absent, null or empty (Wantu treats empty as missing).
    func text(_ name: String) -> String? {
        guard let text = fields?[name]?.text, !text.isEmpty else { return nil }
        return text
    }

    /// The texts of required parameters, in order; 303 PARAM_MISSING names the first one absent.
    func require(_ names: String...) throws(Refusal) -> [String] {
        var values: [String] = []
        for name in names {
            guard let value = text(name) else { throw Refusal(.paramMissing, "missing \(name)") }
            values.append(value)
        }
        return values
    }
}

extension WantuSandbox {
    /// The checks every endpoint makes, in Wantu's order: readable body, known accounts (the
    /// key is looked up by account, so this comes before the signature), signature, then the
    /// common parameters.
    func checkCommon(_ request: WantuRequest) throws(Refusal) {
        guard let fields = request.fields else {
            throw Refusal(.dataFormatError, "the body is not a JSON object")
        }
        let accounts = try request.require("merchant_account", "store_account")
        guard accounts[0] == account.merchantAccount else {
            throw Refusal(.noPrivilege, "unknown merchant_account")
        }
        guard accounts[1] == account.storeAccount else {
            throw Refusal(.noPrivilege, "store_account does not belong to this merchant")
        }
        guard request.text("sign") != nil else { throw Refusal(.signError, "missing sign") }
        guard WantuSignature.verify(WantuWire.signingParameters(fields), key: account.key) else {
            throw Refusal(.signError, "sign does not match the parameters")
        }
        let common = try request.require("pay_channel", "send_time", "version")
        guard common[2] == "1.0" else { throw Refusal(.paramError, "version must be 1.0") }
        guard dates.date(common[1]) != nil else {
            throw Refusal(.paramError, "send_time must be yyyy-MM-dd HH:mm:ss")
        }
        guard payChannel(request) != nil else { throw Refusal(.paramError, "pay_channel must be 1 or 2") }
    }

    /// 1 (WeChat Pay) or 2 (Alipay); checked by `checkCommon`.
    func payChannel(_ request: WantuRequest) -> Int? {
        switch request.text("pay_channel") {
        case "1": 1
        case "2": 2
        default: nil
        }
    }

    /// A positive integer of at most 11 digits (Wantu's `Int(11)` amounts), or nil.
    static func positiveInteger(_ text: String) -> Int64? {
        guard (1...11).contains(text.count), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = Int64(text), value > 0 else { return nil }
        return value
    }

    func amount(_ request: WantuRequest, _ name: String) throws(Refusal) -> Int64 {
        let text = try request.require(name)[0]
        guard let value = Self.positiveInteger(text) else {
            throw Refusal(.paramError, "\(name) must be a positive whole number of minor units")
        }
        return value
    }

    func checkCurrency(_ code: String, _ name: String) throws(Refusal) {
        guard code.uppercased() == account.currency.code else {
            throw Refusal(.unsupportedCurrency, "\(name) \(code) is not the store's currency")
        }
    }

    /// A merchant order number: up to 32 characters, as the seed allows.
    func checkOrderNumber(_ number: String, _ name: String = "out_trade_no") throws(Refusal) {
        guard number.count <= 32 else { throw Refusal(.paramError, "\(name) is longer than 32 characters") }
    }

    /// The wallet an auth code belongs to, by the wallets' own rules: WeChat Pay 18 digits
    /// starting 10–15, Alipay 16–24 digits starting 25–30. nil for anything else.
    static func payChannel(ofAuthCode code: String) -> Int? {
        guard code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let prefix = Int(code.prefix(2)) else { return nil }
        if (10...15).contains(prefix) && code.count == 18 { return 1 }
        if (25...30).contains(prefix) && (16...24).contains(code.count) { return 2 }
        return nil
    }
}
