import CheckoutCore
import CloudPayGateway
import Foundation
import HTTPTransport
import Testing
import TestSupport

@Suite("CloudPay's payment request against recorded answers")
struct CloudPayGatewayTests {
    let logs = CapturedLogs()
    let cny1230 = Money(minorUnits: 1230, currency: .cny)

    func gateway(_ transport: RecordingTransport, wallets: [Wallet] = [.alipay, .wechat]) -> CloudPayGateway {
        CloudPayGateway(account: CloudPayAccount(baseURL: "https://pay.example.com/", appKey: Recorded.appKey,
                                                 appSecret: Recorded.secret, wallets: wallets),
                        transport: transport, logger: logs.logger())
    }

    func request(_ wallet: Wallet = .alipay, amount: Money? = nil) -> QRPayRequest {
        QRPayRequest(orderID: try! OrderID(Recorded.order), amount: amount ?? cny1230, subject: "Coffee", wallet: wallet)
    }

    @Test func theRequestCarriesTheDocumentedFieldsSignedInCloudPaysOrder() async throws {
        let transport = RecordingTransport(recorded: "create-success.json")
        _ = await gateway(transport).createQR(request())

        let sent = try #require(transport.sent.first)
        #expect(sent.url == "https://pay.example.com/api/cloudpay/create")
        #expect(sent.method == "POST")
        let form = transport.form(0)
        #expect(form["appkey"] == Recorded.appKey)
        #expect(form["price"] == "12.30")
        #expect(form["type"] == "alipay")
        #expect(form["out_order_id"] == Recorded.order)
        #expect(form["custom"] == "Coffee")
        #expect(Set(form.keys) == ["appkey", "price", "type", "out_order_id", "custom", "sign"])
        let expected = CloudPaySignature.sign(form, order: ["appkey", "price", "type", "out_order_id", "custom"], secret: Recorded.secret)
        #expect(form["sign"] == expected)
        #expect(form["sign"]?.allSatisfy { "0123456789abcdef".contains($0) } == true, "lower-case hex")
        #expect(!String(decoding: sent.body, as: UTF8.self).contains(Recorded.secret))
        #expect(!logs.text.contains(Recorded.secret))
    }

    @Test func aCreatedOrderDrawsThePayPage() async {
        let creation = await gateway(RecordingTransport(recorded: "create-success.json")).createQR(request())
        #expect(creation == .created(payload: "https://pay.example.com/pay/api?id=5cc75a6a0b418&type=alipay"))
    }

    @Test func withoutAPayURLThePageTheQRCodeURLDrawsIsDrawn() async {
        let creation = await gateway(RecordingTransport(recorded: "create-qrcode-url-only.json")).createQR(request(.wechat))
        #expect(creation == .created(payload: "https://pay.example.com/pay/api?id=77&type=wechat"))
    }

    @Test func anAnswerEchoingAnotherOrderIsNotDrawn() async {
        let creation = await gateway(RecordingTransport(recorded: "create-other-order.json")).createQR(request())
        guard case .failed(.inDoubt(let why)) = creation else { Issue.record("\(creation)"); return }
        #expect(why.contains("out_order_id"))
    }

    @Test func anAcceptedOrderWithoutAPageIsInDoubt() async {
        let creation = await gateway(RecordingTransport(recorded: "create-no-page.json")).createQR(request())
        guard case .failed(.inDoubt) = creation else { Issue.record("\(creation)"); return }
    }

    @Test(arguments: [101, 102, 103, 104, 105, 106, 107, 110, 202, 203, 204, 209])
    func configurationAndAccountCodesAreRejectedWithTheirMeaning(code: Int) async throws {
        let creation = await gateway(RecordingTransport(recorded: "code-\(code).json")).createQR(request())
        guard case .failed(.rejected(let problem)) = creation else { Issue.record("\(code): \(creation)"); return }
        #expect(problem.code == "CloudPay \(code)")
        let meaning = try #require(CloudPayCode(rawValue: code)?.meaning)
        #expect(problem.message == meaning)
        #expect(!meaning.isEmpty)
    }

    @Test(arguments: [108, 109])
    func aMissingCallbackURLIsSaidToBeTheBackOfficesConfiguration(code: Int) async {
        let creation = await gateway(RecordingTransport(recorded: "code-\(code).json")).createQR(request())
        guard case .failed(.rejected(let problem)) = creation else { Issue.record("\(creation)"); return }
        #expect(problem.message.contains("back office has no callback URL"))
        #expect(problem.message.contains("/notify/cloudpay"))
        #expect(problem.description.contains("configuration"))
    }

    @Test func anInvalidPriceIsAClearRefusal() async {
        let creation = await gateway(RecordingTransport(recorded: "code-201.json")).createQR(request())
        guard case .failed(.declined(let decline)) = creation else { Issue.record("\(creation)"); return }
        #expect(decline.gatewayMessage.contains("201"))
    }

    @Test(arguments: [199, 205, 206, 207, 208, 150])
    func cloudPaysOwnFailuresAndUndocumentedCodesAreInDoubt(code: Int) async {
        let creation = await gateway(RecordingTransport(recorded: "code-\(code).json")).createQR(request())
        guard case .failed(.inDoubt(let why)) = creation else { Issue.record("\(code): \(creation)"); return }
        #expect(why.contains(String(code)))
    }

    @Test func everyDocumentedCodeHasItsOwnWords() {
        let refusals = CloudPayCode.allCases.filter { $0 != .success }
        #expect(refusals.count == 20)
        #expect(Set(refusals.map(\.meaning)).count == refusals.count - 1, "only 108 and 109 share their words")
    }

    @Test func noConnectionMeansNothingWasCreatedAndATimeoutIsInDoubt() async {
        let refused = await gateway(RecordingTransport(.failure(.couldNotConnect("refused")))).createQR(request())
        guard case .failed(.declined(let decline)) = refused else { Issue.record("\(refused)"); return }
        #expect(decline.reason == .gatewayUnreachable)

        let late = await gateway(RecordingTransport(.failure(.timedOut))).createQR(request())
        guard case .failed(.inDoubt) = late else { Issue.record("\(late)"); return }
        let broken = await gateway(RecordingTransport(.success(HTTPResponse(status: 500, body: Array("<html>".utf8))))).createQR(request())
        guard case .failed(.inDoubt(let why)) = broken else { Issue.record("\(broken)"); return }
        #expect(why.contains("500"))
    }

    @Test func anotherCurrencyOrAWalletNotOfferedIsRefusedBeforeAnythingIsSent() async {
        let transport = RecordingTransport(recorded: "create-success.json")
        let hkd = await gateway(transport).createQR(request(amount: Money(minorUnits: 1230, currency: .hkd)))
        guard case .failed(.rejected(let problem)) = hkd else { Issue.record("\(hkd)"); return }
        #expect(problem.message.contains("CNY"))
        let wechat = await gateway(transport, wallets: [.alipay]).createQR(request(.wechat))
        guard case .failed(.rejected) = wechat else { Issue.record("\(wechat)"); return }
        #expect(transport.sent.isEmpty)
    }

    @Test func onlyQROrdersAndNotificationsAreOfferedAndNothingElseIsSent() async {
        let transport = RecordingTransport(recorded: "create-success.json")
        let cloudPay = gateway(transport)
        #expect(cloudPay.capabilities == [.qrPay, .notifications])
        #expect(cloudPay.wallets(for: .scan).isEmpty)
        #expect(cloudPay.wallets(for: .qr) == [.alipay, .wechat])
        let reference = OrderReference(orderID: try! OrderID(Recorded.order), wallet: .alipay, amount: cny1230)
        #expect(await cloudPay.query(reference) == .rejected(.unsupported))
        #expect(await cloudPay.close(reference) == .rejected(.unsupported))
        #expect(await cloudPay.cancel(reference) == .rejected(.unsupported))
        let refund = RefundRequest(order: reference, refundID: RefundID(order: reference.orderID, sequence: 1), amount: cny1230, reason: "x")
        #expect(await cloudPay.refund(refund) == .rejected(.unsupported))
        #expect(transport.sent.isEmpty)
    }
}
