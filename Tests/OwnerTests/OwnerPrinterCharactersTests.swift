import CheckoutCore
import Foundation
@testable import Owner
import Testing

/// A Chinese printer on a machine whose iconv cannot convert to the printer's character set.
struct OwnerPrinterCharactersTests {
    let receipt = Receipt(lines: ["幸運茶室", "已付總額 HK$1.00"], training: false, number: "S1", emphasized: [1])

    @Test(arguments: [(PrinterCharacters.big5, "BIG5"), (.big5HKSCS, "BIG5-HKSCS"), (.gb18030, "GB18030")])
    func aMissingConverterIsAnErrorNotAReceiptOfQuestionMarks(characters: PrinterCharacters, set: String) {
        // When the receipt is encoded without a converter to the printer's set
        let error = #expect(throws: OwnerError.self) {
            try ESCPOS.encode(receipt, in: characters, converter: { _ in nil })
        }
        // Then nothing is printed and the owner is told which set is missing and what to do
        #expect(error == .printerCharactersMissing(set: set))
        let message = error?.description ?? ""
        #expect(message.contains(set) && message.contains("gconv") && message.contains(#"encoding = "utf-8""#), "\(message)")
    }
}
