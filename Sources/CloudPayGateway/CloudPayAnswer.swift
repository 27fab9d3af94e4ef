import Foundation
import HTTPTransport

/// CloudPay's answer to a payment request, read. The answer is not signed (the seed gives it
/// no signature), so it can create a QR code but never say that anything is paid; and an
/// answer whose echoed parameters name another order or price is not believed.
enum CloudPayAnswer: Equatable {
    /// `code` 100 with the page the customer pays on.
    case created(payURL: String)
    /// A documented refusal.
    case refused(CloudPayCode, message: String)
    /// No answer to go by: the request may have arrived.
    case unclear(String)

    init(response: HTTPResponse, sent: [String: String]) {
        guard (200..<300).contains(response.status) else {
            self = .unclear("HTTP \(response.status) from CloudPay")
            return
        }
        guard let object = GatewayJSON.parse(response.body)?.object else {
            self = .unclear("CloudPay's answer is not a JSON object")
            return
        }
        guard let codeText = object.text("code"), let number = Int(codeText) else {
            self = .unclear("CloudPay's answer has no code")
            return
        }
        guard let code = CloudPayCode(rawValue: number) else {
            self = .unclear("CloudPay answered with an undocumented code \(number)")
            return
        }
        let message = object.text("msg") ?? ""
        guard code == .success else {
            self = .refused(code, message: message)
            return
        }
        let data = object["data"]?.object ?? [:]
        if let params = data["params"]?.object {
            for name in ["out_order_id", "price", "type"] {
                if let echoed = params.text(name), echoed != sent[name] {
                    self = .unclear("CloudPay's answer echoes \(name) \(echoed), not the one sent")
                    return
                }
            }
        }
        guard let payURL = Self.payURL(data) else {
            self = .unclear("CloudPay accepted the order but gave no pay_url or qrcode_url")
            return
        }
        self = .created(payURL: payURL)
    }

    /// `data.pay_url`; else the page a `qrcode_url` draws (its `text` parameter), else the
    /// `qrcode_url` itself. Only an http(s) address is drawn.
    static func payURL(_ data: [String: GatewayJSON]) -> String? {
        if let page = data.text("pay_url"), isWebAddress(page) { return page }
        guard let image = data.text("qrcode_url") else { return nil }
        if let components = URLComponents(string: image),
           let drawn = components.queryItems?.first(where: { $0.name == "text" })?.value, isWebAddress(drawn) {
            return drawn
        }
        return isWebAddress(image) ? image : nil
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host?.isEmpty == false else { return false }
        return scheme == "https" || scheme == "http"
    }
}
