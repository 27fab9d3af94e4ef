import Testing
import WantuGateway

@Suite("Wantu's MD5 signature, seed §1.3")
struct WantuSignatureTests {
    // The seed's pospay example with an empty `attach`. Expected values computed independently
    // with Python's hashlib over the same rule (sorted, empties out, &key= appended, MD5, upper case).
    let example = [
        "merchant_account": "HKG1449074190", "pay_channel": "1", "send_time": "2017-11-29 12:33:54", "version": "1.0",
        "auth_code": "134674074004982976", "total_fee": "100", "subject": "aaaa", "product_id": "123",
        "out_trade_no": "11214361223413", "attach": "", "notify_url": "http://www.dev/test/post.php", "fee_type": "HKD",
        "store_account": "HKG1831455570", "device_sn": "123",
    ]

    @Test func canonicalStringSortsAndDropsEmptyValues() {
        #expect(WantuSignature.canonicalString(example) ==
            "auth_code=134674074004982976&device_sn=123&fee_type=HKD&merchant_account=HKG1449074190&notify_url=http://www.dev/test/post.php&out_trade_no=11214361223413&pay_channel=1&product_id=123&send_time=2017-11-29 12:33:54&store_account=HKG1831455570&subject=aaaa&total_fee=100&version=1.0")
    }

    @Test func workedExample() {
        #expect(WantuSignature.sign(example, key: "worked-example-key") == "48F794992D5B3D42066128E24EB4BE65")
    }

    @Test func theSignParameterNeverSignsItself() {
        var withSign = example
        withSign["sign"] = "ANYTHING"
        #expect(WantuSignature.sign(withSign, key: "worked-example-key") == "48F794992D5B3D42066128E24EB4BE65")
        withSign["sign"] = "48F794992D5B3D42066128E24EB4BE65"
        #expect(WantuSignature.verify(withSign, key: "worked-example-key"))
    }

    @Test func asciiOrderPutsUpperCaseFirst() {
        #expect(WantuSignature.canonicalString(["b": "1", "B": "2", "a_b": "3", "aB": "4"]) == "B=2&aB=4&a_b=3&b=1")
    }

    @Test func verifyRefusesTamperingMissingSignaturesAndOtherKeys() {
        var signed = example
        signed["sign"] = WantuSignature.sign(example, key: "k1")
        #expect(WantuSignature.verify(signed, key: "k1"))
        #expect(!WantuSignature.verify(signed, key: "k2"))
        var tampered = signed
        tampered["total_fee"] = "1"
        #expect(!WantuSignature.verify(tampered, key: "k1"))
        #expect(!WantuSignature.verify(example, key: "k1"))
        var lower = signed
        lower["sign"] = signed["sign"]!.lowercased()
        #expect(WantuSignature.verify(lower, key: "k1"))
    }

    @Test func theCanonicalStringNeverHoldsTheKey() {
        #expect(!WantuSignature.canonicalString(example).contains("worked-example-key"))
    }
}
