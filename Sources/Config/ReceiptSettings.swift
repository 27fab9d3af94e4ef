import Foundation

/// Where receipts go. `[receipts]`: `directory` (one text file per receipt, always UTF-8;
/// default `receipts` beside the ledger), `printer` (a receipt printer's device, e.g.
/// /dev/usb/lp0, sent ESC/POS) and `encoding` (the printer's character set; nil: the language's).
public struct ReceiptSettings: Sendable, Equatable {
    public var directory: String?
    public var printer: String?
    public var encoding: ReceiptEncoding?

    public init(directory: String?, printer: String?, encoding: ReceiptEncoding? = nil) {
        self.directory = directory
        self.printer = printer
        self.encoding = encoding
    }

    /// Text receipts kept beside the ledger, no printer.
    public static func beside(ledger: String) -> ReceiptSettings {
        let folder = URL(fileURLWithPath: ledger).deletingLastPathComponent()
        let name = URL(fileURLWithPath: ledger).lastPathComponent.hasPrefix("training") ? "training-receipts" : "receipts"
        return ReceiptSettings(directory: folder.appendingPathComponent(name).path, printer: nil)
    }

    init(reading table: ConfigTable, ledger: String, context: ConfigContext) throws(ConfigError) {
        try table.rejectUnknownKeys(ConfigSchema.receipts, homes: ConfigSchema.homes)
        var settings = ReceiptSettings.beside(ledger: ledger)
        for key in ["directory", "printer"] {
            guard let written = try table.string(key) else { continue }
            guard !written.isEmpty else {
                throw table.error(.invalidValue, key: key, "receipts.\(key) is empty: give a path, or remove the key")
            }
            guard let resolved = context.paths.resolve(written, relativeTo: context.directory) else {
                throw table.error(.noHomeDirectory, key: key, "receipts.\(key) starts with ~ but $HOME is not set")
            }
            if key == "directory" { settings.directory = resolved } else { settings.printer = resolved }
        }
        if let written = try table.string("encoding") {
            guard let encoding = ReceiptEncoding(rawValue: written.lowercased()) else {
                let names = ReceiptEncoding.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                throw table.error(.invalidValue, key: "encoding",
                                  "receipts.encoding \"\(written)\" is not a printer character set Shroff sends: use \(names), or remove the key to follow the language")
            }
            settings.encoding = encoding
        }
        self = settings
    }
}

/// The character set a receipt printer prints Chinese in: Big5 (Traditional), Big5-HKSCS
/// (Traditional with Hong Kong's characters, 嘅 and 啱), GB18030 (Simplified), or UTF-8 for
/// printers that take it.
public enum ReceiptEncoding: String, Sendable, CaseIterable {
    case big5
    case big5HKSCS = "big5-hkscs"
    case gb18030
    case utf8 = "utf-8"
}
