import CheckoutCore
import Foundation
import Owner
import Testing

private let hongKong = TimeZone(identifier: "Asia/Hong_Kong")!
/// 2025-11-22 06:30:05 UTC = 14:30:05 in Hong Kong.
private let paidAt = Date(timeIntervalSince1970: 1_763_793_005)

private func hkd(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: .hkd) }

private func paidOrder(status: OrderStatus = .paid) throws -> Order {
    let code = try PaymentCode(scanned: "134567890123456789")
    return Order(id: try OrderID("S251122143000ABCDEF"), provider: "wantu", method: .scan, wallet: .wechat,
                 amount: hkd(128_50), subject: "Two teas", status: status, maskedCode: code.masked,
                 gatewayTradeID: "4200001234567890123456789012", createdAt: paidAt.addingTimeInterval(-3), updatedAt: paidAt)
}

private func withFolder<T>(_ body: (String) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("OwnerReceipt-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try body(folder)
}

@Suite("Receipts")
struct OwnerReceiptTests {
    @Test func aPaymentReceiptAt42Columns() throws {
        let receipt = Receipt.payment(order: try paidOrder(), storeName: "Lucky Tea House", timeZone: hongKong, training: false)
        #expect(receipt.text == """
                         Lucky Tea House
            ------------------------------------------
            PAYMENT
            Date                   2025-11-22 14:30:05
            Order                  S251122143000ABCDEF
            Wallet                          WeChat Pay
            Code                    1345**********6789
            Trade no.     4200001234567890123456789012
            Status                                Paid
            ------------------------------------------
            TOTAL PAID                      HKD 128.50
            ------------------------------------------
                            Thank you

            """)
        #expect(receipt.number == "S251122143000ABCDEF")
        #expect(receipt.emphasized.map { receipt.lines[$0] } == ["TOTAL PAID                      HKD 128.50"])
    }

    @Test(arguments: Receipt.Width.allCases)
    func everyLineFitsThePaperAndTheCodeStaysMasked(width: Receipt.Width) throws {
        let order = try paidOrder()
        let refund = Refund(id: RefundID(order: order.id, sequence: 1), orderID: order.id, amount: hkd(28_50),
                            reason: "The customer changed their mind about the second tea, which was not yet made",
                            status: .refunded, gatewayRefundID: "2025112200001", createdAt: paidAt, updatedAt: paidAt)
        for receipt in [
            Receipt.payment(order: order, storeName: "The Very Long Name Of A Lucky Tea House In Kowloon", timeZone: hongKong,
                            training: true, width: width),
            Receipt.refund(refund: refund, order: order, remaining: hkd(100_00), storeName: "幸運茶室",
                           timeZone: hongKong, training: true, width: width),
        ] {
            for line in receipt.lines { #expect(DisplayWidth.of(line) <= width.rawValue, "\(line)") }
            #expect(!receipt.text.contains("134567890123456789"))
            #expect(receipt.text.contains("1345**********6789"))
            #expect(receipt.text.contains("4200001234567890123456789012"))
            // Marked at the top and the bottom, so a torn-off half still says it.
            #expect(receipt.lines.filter { $0.contains("TRAINING") }.count == 2)
            #expect(receipt.training)
        }
    }

    @Test func aNarrowReceiptPutsLongValuesUnderTheirLabel() throws {
        let receipt = Receipt.payment(order: try paidOrder(), storeName: "Lucky Tea House", timeZone: hongKong,
                                      training: false, width: .narrow)
        let index = try #require(receipt.lines.firstIndex(of: "Trade no."))
        #expect(receipt.lines[index + 1] == "    4200001234567890123456789012")
        #expect(receipt.lines.contains("TOTAL PAID            HKD 128.50"))
    }

    @Test func anUnpaidOrdersReceiptNeverSaysPaid() throws {
        let receipt = Receipt.payment(order: try paidOrder(status: .unknown), storeName: "Lucky Tea House",
                                      timeZone: hongKong, training: false)
        #expect(!receipt.text.contains("TOTAL PAID"))
        #expect(receipt.text.contains("NOT CONFIRMED"))
        #expect(receipt.text.contains("Unknown - not confirmed"))
    }

    @Test func aRefundReceiptShowsTheRefundAndWhatIsLeft() throws {
        let order = try paidOrder()
        let refund = Refund(id: RefundID(order: order.id, sequence: 2), orderID: order.id, amount: hkd(28_50),
                            reason: "Wrong size", status: .refunded, gatewayRefundID: "RF778899",
                            createdAt: paidAt.addingTimeInterval(3600), updatedAt: paidAt.addingTimeInterval(3605))
        let receipt = Receipt.refund(refund: refund, order: order, remaining: hkd(50_00), storeName: "Lucky Tea House",
                                     timeZone: hongKong, training: false)
        #expect(receipt.number == "S251122143000ABCDEFR2")
        let expectedLines = [
            "REFUND",
            "Date                   2025-11-22 15:30:10",
            "Refund no.           S251122143000ABCDEFR2",
            "Order                  S251122143000ABCDEF",
            "Paid on                2025-11-22 14:30:05",
            "Status                            Refunded",
            "Reason                          Wrong size",
            "Order total                     HKD 128.50",
            "REFUNDED                         HKD 28.50",
            "Left to refund                   HKD 50.00",
            "Refund ref.                       RF778899",
        ]
        for line in expectedLines { #expect(receipt.lines.contains(line), "missing \(line)") }
        #expect(receipt.emphasized.map { receipt.lines[$0] } == ["REFUNDED                         HKD 28.50"])
        #expect(!receipt.text.contains("TRAINING"))
    }

    @Test func escposResetsPrintsASCIIBoldsTheTotalAndCuts() throws {
        let receipt = Receipt(lines: ["Café 幸運", "TOTAL   HKD 1.00", "end"], training: false, number: "S1", emphasized: [1])
        let body: [UInt8] = Array("Cafe ????\n".utf8) + [0x1B, 0x45, 0x01] + Array("TOTAL   HKD 1.00".utf8)
            + [0x1B, 0x45, 0x00, 0x0A] + Array("end\n".utf8)
        // Reset, code page 437, the lines (accents dropped, CJK as ?? per column, total bold), feed 4, partial cut.
        #expect(try ESCPOS.encode(receipt) == [0x1B, 0x40, 0x1B, 0x74, 0x00] + body + [0x1B, 0x64, 0x04, 0x1D, 0x56, 0x01])
    }

    @Test func receiptsAreWrittenAsFilesNamedByTheirNumberNeverOverwritten() throws {
        try withFolder { folder in
            let receiptsFolder = folder + "/receipts"
            let printer = ReceiptPrinter(directory: receiptsFolder, device: nil)
            let receipt = Receipt.payment(order: try paidOrder(), storeName: "Lucky Tea House", timeZone: hongKong, training: false)
            #expect(printer.print(receipt) == nil)
            #expect(printer.print(receipt) == nil)
            let names = try FileManager.default.contentsOfDirectory(atPath: receiptsFolder).sorted()
            #expect(names == ["S251122143000ABCDEF-2.txt", "S251122143000ABCDEF.txt"])
            #expect(try String(contentsOfFile: receiptsFolder + "/S251122143000ABCDEF.txt", encoding: .utf8) == receipt.text)
        }
    }

    @Test func escposBytesGoToTheDevicePath() throws {
        try withFolder { folder in
            let device = folder + "/lp0"
            try Data().write(to: URL(fileURLWithPath: device))
            let receipt = Receipt.payment(order: try paidOrder(), storeName: "Lucky Tea House", timeZone: hongKong, training: true)
            #expect(ReceiptPrinter(directory: nil, device: device).print(receipt) == nil)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: device))) == (try ESCPOS.encode(receipt)))
        }
    }

    @Test func aMissingPrinterIsReturnedAsAnErrorAndTheFileIsStillWritten() throws {
        try withFolder { folder in
            let printer = ReceiptPrinter(directory: folder + "/r", device: folder + "/no-such-lp0")
            let receipt = Receipt.payment(order: try paidOrder(), storeName: "Lucky Tea House", timeZone: hongKong, training: false)
            let failure = try #require(printer.print(receipt))
            guard case .printerFailed(let path, _) = failure else {
                Issue.record("expected printerFailed, got \(failure)")
                return
            }
            #expect(path == folder + "/no-such-lp0")
            #expect(failure.description.contains("No such file"))
            #expect(FileManager.default.fileExists(atPath: folder + "/r/S251122143000ABCDEF.txt"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/no-such-lp0"))
        }
    }
}
