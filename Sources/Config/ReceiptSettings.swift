import Foundation

/// Where receipts go. `[receipts]`: `directory` (one text file per receipt; default `receipts`
/// beside the ledger) and `printer` (a receipt printer's device, e.g. /dev/usb/lp0, sent ESC/POS).
public struct ReceiptSettings: Sendable, Equatable {
    public var directory: String?
    public var printer: String?

    public init(directory: String?, printer: String?) {
        self.directory = directory
        self.printer = printer
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
        self = settings
    }
}
