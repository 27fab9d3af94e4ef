import CheckoutCore
import Foundation
import Owner
import Testing
import TestSupport
import Words

private let hongKong = TimeZone(identifier: "Asia/Hong_Kong")!
/// 2025-11-22 06:30:05 UTC = 14:30:05 in Hong Kong.
private let paidAt = Date(timeIntervalSince1970: 1_763_793_005)

private func order(wallet: Wallet = .alipay, currency: Currency = .hkd) throws -> Order {
    Order(id: try OrderID("S251122143000ABCDEF"), provider: "wantu", method: .scan, wallet: wallet,
          amount: Money(minorUnits: 128_50, currency: currency), subject: "", status: .paid, maskedCode: "2812**********6789",
          gatewayTradeID: "2025112222001", createdAt: paidAt, updatedAt: paidAt)
}

/// The receipt a Hong Kong or mainland customer is handed, and the bytes its printer is sent.
@Suite("Receipts in each language and printer character set")
struct OwnerReceiptLanguageTests {
    @Test func aHongKongReceiptIsInTraditionalChineseWithHongKongWording() throws {
        let receipt = Receipt.payment(order: try order(), storeName: "幸運茶室", timeZone: hongKong, training: true,
                                      words: Words(.traditionalChinese))
        let text = receipt.text
        for expected in ["幸運茶室", "培訓模式", "付款收據", "2025年11月22日 14:30:05", "支付寶", "已付總額", "HK$128.50", "多謝惠顧"] {
            #expect(text.contains(expected), "\(expected) missing:\n\(text)")
        }
        #expect(receipt.lines.allSatisfy { DisplayWidth.of($0) <= 42 })
    }

    @Test func aMainlandReceiptIsInSimplifiedChinese() throws {
        let receipt = Receipt.payment(order: try order(currency: .cny), storeName: "幸运茶室", timeZone: hongKong, training: false,
                                      words: Words(.simplifiedChinese))
        for expected in ["付款小票", "支付宝", "￥128.50", "谢谢惠顾"] { #expect(receipt.text.contains(expected), "\(receipt.text)") }
    }

    @Test(arguments: [(PrinterCharacters.big5, "big5", Language.traditionalChinese), (.gb18030, "gb18030", .simplifiedChinese)])
    func escPosSelectsChineseModeAndSendsTheReceiptInThePrintersCharacterSet(characters: PrinterCharacters, codec: String,
                                                                              language: Language) throws {
        // Given a receipt in the language the printer's Chinese font is for
        let receipt = Receipt.payment(order: try order(), storeName: "茶室", timeZone: hongKong, training: true, words: Words(language))
        // When it is encoded for that printer
        let bytes = try ESCPOS.encode(receipt, in: characters)
        // Then the printer is reset and put in Chinese mode (ESC @, FS &), and the text, decoded
        // by Python's own codec, is the receipt's
        #expect(Array(bytes.prefix(4)) == [0x1B, 0x40, 0x1C, 0x26])
        #expect(try ScriptCheck.decode(Self.text(of: bytes, prefix: 4), codec: codec) == receipt.text)
    }

    @Test func aMainlandReceiptPrintsWholeOnAGBKOnlyPrinter() throws {
        // Given a mainland receipt in yuan, with the training line
        let receipt = Receipt.payment(order: try order(currency: .cny), storeName: "幸运茶室", timeZone: hongKong, training: true,
                                      words: Words(.simplifiedChinese))
        // When it is sent to a GB18030 printer
        let bytes = try ESCPOS.encode(receipt, in: .gb18030)
        // Then a printer that knows only GBK (GB18030's two-byte part) reads every character,
        // the yuan sign included, and the total still fits the roll
        #expect(try ScriptCheck.decode(Self.text(of: bytes, prefix: 4), codec: "gbk") == receipt.text)
        #expect(receipt.lines.allSatisfy { DisplayWidth.of($0) <= 42 })
    }

    @Test func aHongKongPrinterInBig5HKSCSPrintsCantoneseCharactersAndEveryLetter() throws {
        // Given a shop named with Cantonese characters plain Big5 lacks, and Ê, which Big5-HKSCS
        // holds back in case a combining mark follows
        let receipt = Receipt.payment(order: try order(), storeName: "啱嘅茶室 Ê", timeZone: hongKong, training: false,
                                      words: Words(.traditionalChinese))
        // When it is encoded for a Big5-HKSCS printer
        let bytes = try ESCPOS.encode(receipt, in: .big5HKSCS)
        // Then the printer is put in Chinese mode and Python's big5hkscs reads back every character
        #expect(Array(bytes.prefix(4)) == [0x1B, 0x40, 0x1C, 0x26])
        let decoded = try ScriptCheck.decode(Self.text(of: bytes, prefix: 4), codec: "big5hkscs")
        #expect(decoded.contains("啱嘅茶室 Ê"), "\(decoded)")
        #expect(decoded == receipt.text)
    }

    @Test func aCharacterBig5LacksIsReplacedVisiblyAndTheRestPrints() throws {
        // 发 is Simplified only, and no emoji is in Big5.
        let receipt = Receipt.payment(order: try order(), storeName: "發发茶室 🍵", timeZone: hongKong, training: false,
                                      words: Words(.traditionalChinese))
        let decoded = try ScriptCheck.decode(Self.text(of: try ESCPOS.encode(receipt, in: .big5), prefix: 4), codec: "big5")
        #expect(decoded.contains("發？茶室 ？"), "\(decoded)")
        #expect(decoded == receipt.text.replacingOccurrences(of: "发", with: "？").replacingOccurrences(of: "🍵", with: "？"))
    }

    @Test func utf8PrintersAreToldSoAndGetTheTextAsItIs() throws {
        let receipt = Receipt.payment(order: try order(), storeName: "茶室", timeZone: hongKong, training: false, words: Words(.traditionalChinese))
        let bytes = try ESCPOS.encode(receipt, in: .utf8)
        #expect(Array(bytes.prefix(9)) == [0x1B, 0x40, 0x1C, 0x28, 0x43, 0x02, 0x00, 0x30, 0x02])
        #expect(String(decoding: Self.text(of: bytes, prefix: 9), as: UTF8.self) == receipt.text)
    }

    @Test func textReceiptsOnDiskStayUTF8WhateverThePrinterTakes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("OwnerReceiptLanguage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let receipt = Receipt.payment(order: try order(), storeName: "茶室", timeZone: hongKong, training: false, words: Words(.traditionalChinese))
        #expect(ReceiptPrinter(directory: folder, device: nil, characters: .big5).print(receipt) == nil)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        #expect(try String(contentsOfFile: folder + "/" + file, encoding: .utf8) == receipt.text)
    }

    @Test func englishReceiptsAreUnchanged() throws {
        let receipt = Receipt.payment(order: try order(), storeName: "Lucky", timeZone: hongKong, training: false)
        #expect(receipt.text.contains("Wallet                              Alipay"))
        #expect(receipt.text.contains("TOTAL PAID                      HKD 128.50"))
        #expect(Array(try ESCPOS.encode(receipt).prefix(5)) == [0x1B, 0x40, 0x1B, 0x74, 0x00])
    }

    /// The printed text: the bytes between the set-up commands and the feed and cut, with the
    /// bold switches taken out.
    static func text(of bytes: [UInt8], prefix: Int) -> [UInt8] {
        var body = Array(bytes.dropFirst(prefix).dropLast(6))
        for switchBold in [[0x1B, 0x45, 0x01], [0x1B, 0x45, 0x00]] as [[UInt8]] {
            while let range = body.firstRange(of: switchBold) { body.removeSubrange(range) }
        }
        return body
    }
}
