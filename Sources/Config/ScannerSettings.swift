import Foundation

/// The scanner read as a device of its own, from `[scanner]`; nil (the table left out) keeps
/// the keyboard-wedge scanner, told from typing by its timing.
///
/// `device` is an evdev node (`/dev/input/by-id/usb-…-event-kbd`) or, for a scanner in HID POS
/// mode, a hidraw node (`/dev/hidrawN`). `protocol` is `"keyboard"` or `"hid-pos"`, by default
/// `"hid-pos"` for a path whose last part starts with `hidraw` and `"keyboard"` otherwise.
/// `grab` (default true) takes an evdev device exclusively, so its keys reach no other program.
public struct ScannerSettings: Sendable, Equatable {
    /// How the device speaks.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case keyboard
        case hidPOS = "hid-pos"
    }

    public var device: String
    public var kind: Kind
    public var grab: Bool

    public init(device: String, kind: Kind, grab: Bool = true) {
        self.device = device
        self.kind = kind
        self.grab = grab
    }

    /// The protocol a device path suggests: hidraw nodes speak HID POS.
    public static func defaultKind(for device: String) -> Kind {
        URL(fileURLWithPath: device).lastPathComponent.hasPrefix("hidraw") ? .hidPOS : .keyboard
    }

    /// Reads `[scanner]`; nil when the file has no such table.
    static func reading(_ table: ConfigTable, context: ConfigContext) throws(ConfigError) -> ScannerSettings? {
        guard table.line != nil || !table.table.entries.isEmpty else { return nil }
        try table.rejectUnknownKeys(ConfigSchema.scanner, homes: ConfigSchema.homes)
        let written = try table.requiredString("device", example: "\"/dev/input/by-id/usb-…-event-kbd\"")
        guard let device = context.paths.resolve(written, relativeTo: context.directory) else {
            throw table.error(.noHomeDirectory, key: "device", "scanner.device starts with ~ but $HOME is not set")
        }
        var kind = defaultKind(for: device)
        if let name = try table.string("protocol") {
            guard let chosen = Kind(rawValue: name) else {
                throw table.error(.invalidValue, key: "protocol",
                                  "scanner.protocol \"\(name)\" is not one Shroff reads: write \"keyboard\" (an evdev node) or \"hid-pos\" (a hidraw node)")
            }
            kind = chosen
        }
        let grab = try table.bool("grab", default: true)
        return ScannerSettings(device: device, kind: kind, grab: grab)
    }

    /// How the settings screen and `shroff info` describe it.
    public var summary: String {
        switch kind {
        case .keyboard: "\(device) (keyboard events\(grab ? ", taken exclusively" : ", shared with other programs"))"
        case .hidPOS: "\(device) (HID POS)"
        }
    }
}
