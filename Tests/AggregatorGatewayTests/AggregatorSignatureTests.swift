import AggregatorGateway
import Testing

/// The seed's signing rules (§4), checked on the seed's own example strings.
@Suite struct AggregatorSignatureTests {
    /// The seed's request example (§4 请求示例), with its masked secret as written.
    let request = [
        "order_no": "2019xxxxxxxxxxxx", "bank_code": "901", "amount": "10000", "appid": "gpu10000000",
        "return_url": "https://www.return.com/return", "notify_url": "http://www.notify.com/notify", "product_name": "onlinepay",
        "sign": "06eb02e7332217cca8ba5a20f8c9383a",
    ]

    @Test func aRequestIsSignedOverTheSeedsExampleString() {
        // The seed's 签名拼接方式示例, joined where its layout broke the lines.
        #expect(AggregatorSignature.signingString(request, secret: "c1277xxxxxxxx", form: .request) ==
            "amount=10000&appid=gpu10000000&bank_code=901&notify_url=http://www.notify.com/notify&order_no=2019xxxxxxxxxxxx&product_name=onlinepay&return_url=https://www.return.com/return&secret=c1277xxxxxxxx")
        // MD5 of that string by `printf %s … | md5sum`: the seed's own sign was made with its
        // real secret, which the seed masks, so it cannot be reproduced here.
        #expect(AggregatorSignature.sign(request, secret: "c1277xxxxxxxx", form: .request) == "73dc4777361a891f5a1e3c7094f8e675")
    }

    @Test func aRequestLeavesEmptyValuesOut() {
        var withEmpty = request
        withEmpty["attach"] = ""
        withEmpty["openid"] = ""
        #expect(AggregatorSignature.sign(withEmpty, secret: "c1277xxxxxxxx", form: .request) == "73dc4777361a891f5a1e3c7094f8e675")
    }

    /// The seed's callback example (§4 回调参数示例): its sign verifies with the secret the
    /// seed prints, with the empty `attach` kept.
    let callback = [
        "actual_amount": "10000.00", "amount": "10000.00", "appid": "gpu10000000", "attach": "",
        "order_no": "2019xxxxxxxxxxxx", "pay_status": "1", "pay_time": "2019-08-18 00:13:41",
        "platform_order_no": "A2019xxxxxxxxxxxx", "sign": "eecb33027f752c51663f12ddbaf26ac9",
    ]

    @Test func theSeedsCallbackVerifiesWithEmptyValuesKept() {
        #expect(AggregatorSignature.signingString(callback, secret: "229254ceaf2xxxxxxxxxxxx", form: .callback) ==
            "actual_amount=10000.00&amount=10000.00&appid=gpu10000000&attach=&order_no=2019xxxxxxxxxxxx&pay_status=1&pay_time=2019-08-18 00:13:41&platform_order_no=A2019xxxxxxxxxxxx&secret=229254ceaf2xxxxxxxxxxxx")
        #expect(AggregatorSignature.verify(callback, secret: "229254ceaf2xxxxxxxxxxxx", form: .callback))
        // Dropping the empty attach, as a request is signed, gives another signature.
        #expect(!AggregatorSignature.verify(callback, secret: "229254ceaf2xxxxxxxxxxxx", form: .request))
    }

    @Test func aChangedValueOrAnotherSecretDoesNotVerify() {
        var changed = callback
        changed["actual_amount"] = "1.00"
        #expect(!AggregatorSignature.verify(changed, secret: "229254ceaf2xxxxxxxxxxxx", form: .callback))
        #expect(!AggregatorSignature.verify(callback, secret: "another-secret", form: .callback))
        var unsigned = callback
        unsigned["sign"] = nil
        #expect(!AggregatorSignature.verify(unsigned, secret: "229254ceaf2xxxxxxxxxxxx", form: .callback))
    }

    @Test func theSecretSortsAmongTheParameters() {
        // "secret" is one parameter among the others: a name after it follows it.
        #expect(AggregatorSignature.signingString(["status": "1", "amount": "5"], secret: "k", form: .request) == "amount=5&secret=k&status=1")
    }
}
