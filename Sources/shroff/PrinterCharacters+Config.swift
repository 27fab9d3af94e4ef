import Config
import Owner
import Words

extension PrinterCharacters {
    /// `[receipts] encoding`, or without it the language's: Big5 for Traditional Chinese,
    /// GB18030 for Simplified, ASCII for English (any printer prints it).
    init(_ encoding: ReceiptEncoding?, language: Language) {
        switch encoding {
        case .big5?: self = .big5
        case .big5HKSCS?: self = .big5HKSCS
        case .gb18030?: self = .gb18030
        case .utf8?: self = .utf8
        case nil:
            switch language {
            case .traditionalChinese: self = .big5
            case .simplifiedChinese: self = .gb18030
            default: self = .ascii
            }
        }
    }
}
