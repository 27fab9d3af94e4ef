import CheckoutCore
import CloudPayGateway
import Testing

// The seed's own example (appkey 098f6bcd…, price 0.82, type alipay, out_order_id
// 5cc75a6a0b418, custom test_user) with a secret of ours: the seed does not give its secret.
// Expected values from python3: md5(md5(concatenation).hexdigest() + secret).hexdigest().
@Suite("CloudPay's signatures: CloudPay's concatenation order, md5 twice, lower-case hex")
struct CloudPaySignatureTests {
    let appKey = "098f6bcd4621d373cade4e832627b4f6"
    let secret = "fixture-secret"

    var seedRequest: [String: String] {
        ["appkey": appKey, "price": "0.82", "type": "alipay", "out_order_id": "5cc75a6a0b418", "custom": "test_user"]
    }

    @Test func thePaymentRequestIsSignedInTheSeedsOrder() {
        let sign = CloudPaySignature.sign(seedRequest, order: CloudPaySignature.createFields, secret: secret)
        #expect(sign == "1e014d3c0c70df60938fda1c0c910a82")
        #expect(CloudPaySignature.createFields == ["appkey", "price", "type", "out_order_id", "custom"])
    }

    @Test func anotherOrderOfTheSameValuesIsAnotherSignature() {
        // price and type swapped: md5(md5(appkey + type + price + …) + secret).
        let swapped = CloudPaySignature.sign(seedRequest, order: ["appkey", "type", "price", "out_order_id", "custom"], secret: secret)
        #expect(swapped == "3a2fc303bd178e25d4782ea1b8e0ecfa")
        #expect(!CloudPaySignature.verify(swapped, seedRequest, order: CloudPaySignature.createFields, secret: secret))
    }

    @Test func theNotificationIsSignedWithTheMerchantsAppKeyFirstAndAnEmptyExtend() {
        let fields = ["appkey": appKey, "order_id": "12345", "out_order_id": "5cc75a6a0b418", "price": "0.82",
                      "realprice": "0.82", "type": "alipay", "paytime": "1556614084", "extend": ""]
        #expect(CloudPaySignature.sign(fields, order: CloudPaySignature.notificationFields, secret: secret) == "9616820f4ae1a3f58259bd524d56c28e")
        #expect(CloudPaySignature.notificationFields == ["appkey", "order_id", "out_order_id", "price", "realprice", "type", "paytime", "extend"])
    }

    @Test func verifyingTakesUpperCaseHexAndRefusesAnotherSecret() {
        #expect(CloudPaySignature.verify("1E014D3C0C70DF60938FDA1C0C910A82", seedRequest, order: CloudPaySignature.createFields, secret: secret))
        #expect(!CloudPaySignature.verify("1e014d3c0c70df60938fda1c0c910a82", seedRequest, order: CloudPaySignature.createFields, secret: "other"))
        #expect(!CloudPaySignature.verify("", seedRequest, order: CloudPaySignature.createFields, secret: secret))
    }
}

@Suite("CloudPay's prices: exactly two decimals from integer fen")
struct CloudPayPriceTests {
    @Test func pricesAreWrittenWithTwoDecimals() {
        #expect(CloudPayPrice.text(Money(minorUnits: 1230, currency: .cny)) == "12.30")
        #expect(CloudPayPrice.text(Money(minorUnits: 5, currency: .cny)) == "0.05")
        #expect(CloudPayPrice.text(Money(minorUnits: 100_000, currency: .cny)) == "1000.00")
        #expect(CloudPayPrice.text(Money(minorUnits: 1230, currency: .hkd)) == nil)
    }

    @Test func pricesAreReadAsMoneyOnlyInExactlyTheFormTheyAreWritten() {
        #expect(CloudPayPrice.money("10.23") == Money(minorUnits: 1023, currency: .cny))
        #expect(CloudPayPrice.money("0.82") == Money(minorUnits: 82, currency: .cny))
        #expect(CloudPayPrice.money("0.00") == Money(minorUnits: 0, currency: .cny))
        #expect(CloudPayPrice.money("10000000.00") == Money(minorUnits: 1_000_000_000, currency: .cny))
        for bad in ["", "10.2", "10", "010.23", "00.82", ".82", "10.234", "-1.00", "+1.00", "1e3", " 10.00", "10.00 ", "10,00",
                    "abc", "10000000.01", "99999999999.99"] {
            #expect(CloudPayPrice.money(bad) == nil, "\(bad)")
        }
    }
}
