import CheckoutCore
import CloudPayGateway
import Foundation

extension CloudPaySandbox {
    /// The parameters a payment request may carry; any other is 106 (存在禁止传递的参数).
    static let parameters: Set<String> = ["appkey", "price", "type", "out_order_id", "custom", "sign"]

    /// `POST {$domain}/api/cloudpay/create`: checks the request in the document's order and
    /// answers its JSON (`code`, `msg`, `time`, `data`); the price's cents choose the outcome.
    func create(body: [UInt8], host: String) -> SandboxReply {
        let answer: SandboxReply
        do {
            answer = try createOrder(body: body, host: host)
        } catch {
            logger.info("cloudpay sandbox: refused", metadata: ["code": "\(error.code.rawValue)", "why": "\(error.why)"])
            answer = reply(code: error.code, message: error.why, data: [:])
        }
        return answer
    }

    private func createOrder(body: [UInt8], host: String) throws(CloudPayRefusal) -> SandboxReply {
        guard let form = CloudPayForm.decode(body) else { throw CloudPayRefusal(.parameterMissing, "the body is not a form") }
        guard let key = form["appkey"], !key.isEmpty else { throw CloudPayRefusal(.keyRequired, "missing appkey") }
        guard key == appKey else { throw CloudPayRefusal(.keyInvalid, "unknown appkey") }
        guard let sign = form["sign"], !sign.isEmpty else { throw CloudPayRefusal(.keyExpiredOrSignatureMissing, "missing sign") }
        guard CloudPaySignature.verify(sign, form, order: CloudPaySignature.createFields, secret: appSecret) else {
            throw CloudPayRefusal(.signatureInvalid, "sign does not match md5(md5(appkey + price + type + out_order_id + custom) + appsecret)")
        }
        if let extra = form.keys.sorted().first(where: { !Self.parameters.contains($0) }) {
            throw CloudPayRefusal(.forbiddenParameter, "\(extra) may not be sent")
        }
        for name in ["price", "type", "out_order_id"] where (form[name] ?? "").isEmpty {
            throw CloudPayRefusal(.parameterMissing, "missing \(name)")
        }
        let priceText = form["price"] ?? ""
        guard Self.hasTwoDecimals(priceText), let price = try? Money(parsing: priceText, currency: .cny) else {
            throw CloudPayRefusal(.priceInvalid, "price must be a positive amount with exactly two decimals, such as 10.23")
        }
        let type = form["type"] ?? ""
        guard Wallet(cloudPayType: type) != nil else { throw CloudPayRefusal(.typeInvalid, "type must be alipay or wechat") }
        let outOrderID = form["out_order_id"] ?? ""

        let scenario = CloudPayScenario(fen: price.minorUnits)
        switch scenario {
        case .serverError: return .answer(status: 500, body: Array("<html><body>500 Internal Server Error</body></html>".utf8), contentType: "text/html")
        case .failed: throw CloudPayRefusal(.unknownError, "the order service failed")
        case .quotaExceeded: throw CloudPayRefusal(.quotaExceeded, "the plan is used up")
        case .noCallbackURL: throw CloudPayRefusal(.callbackURLMissing, "no callback URL in the back office")
        case .waitsForTheCustomer, .paidAfterAFewSeconds, .badlySignedCallback, .realPriceLower, .underpaid: break
        }
        if let existing = orders[outOrderID] {
            guard existing.priceFen == price.minorUnits, existing.type == type else {
                throw CloudPayRefusal(.unknownError, "out_order_id was used for another price or type")
            }
            return created(existing, form: form, host: host)
        }
        sequence += 1
        let order = CloudPaySandboxOrder(
            outOrderID: outOrderID, orderID: sequence, priceFen: price.minorUnits, type: type, custom: form["custom"] ?? "",
            scenario: scenario, createdWall: wallClock(), createdAt: clock.now(),
            paysAt: scenario.paysItself ? clock.now() + CloudPayScenario.payDelay : nil)
        orders[outOrderID] = order
        logger.info("cloudpay sandbox: order created", metadata: ["out_order_id": "\(outOrderID)", "price": "\(priceText)"])
        announceWhenPaid(order)
        return created(order, form: form, host: host)
    }

    /// Code 100 with the pay page, the QR image's address, and the parameters as received.
    private func created(_ order: CloudPaySandboxOrder, form: [String: String], host: String) -> SandboxReply {
        let domain = "http://\(host)/cloudpay"
        let payURL = "\(domain)/pay/api?id=\(order.orderID)&type=\(order.type)"
        let qrcodeURL = "\(domain)/qrcode/build?size=130&text=" + (payURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return reply(code: .success, message: "请求成功", data: ["pay_url": payURL, "qrcode_url": qrcodeURL, "params": form])
    }

    private func reply(code: CloudPayCode, message: String, data: [String: Any]) -> SandboxReply {
        let object: [String: Any] = ["code": code.rawValue, "msg": message, "time": String(Int(wallClock().timeIntervalSince1970)), "data": data]
        let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return .answer(status: 200, body: Array(bytes))
    }

    /// "10.23": digits, a point, exactly two digits, as the document asks of `price`.
    static func hasTwoDecimals(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].count == 2
    }
}

/// A payment request refused with one of CloudPay's codes.
struct CloudPayRefusal: Error {
    var code: CloudPayCode
    var why: String
    init(_ code: CloudPayCode, _ why: String) {
        self.code = code
        self.why = why
    }
}
