import ArgumentParser
import Config
import Foundation
import ScannerDevice

/// `shroff scanners`: the keyboards and scanners on this machine, with the stable path to put
/// in `[scanner] device` and whether this user may open it. Reads only; opens no device.
struct ScannersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanners",
        abstract: "List the input devices that look like scanners or keyboards, for [scanner] device.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try TillSession.forbidCoreDumps()
        let output = Output(json: global.json, training: false)
        let devices = InputDeviceCatalog.list()
        let configured = (try? ConfigLoader.load(explicitPath: global.config, environment: ProcessInfo.processInfo.environment))?.scanner
        var lines: [String] = []
        if devices.isEmpty {
            lines.append("No keyboards or scanners found (nothing with a keyboard handler in /proc/bus/input/devices, no HID POS scanner in /sys/class/hidraw). Plug the scanner in and run this again.")
        } else {
            lines.append("Keyboards and scanners on this machine (likely scanners first):")
            for device in devices {
                let what = device.kind == .hidPOS ? "HID POS scanner" : (device.looksLikeScanner ? "scanner, types as a keyboard" : "keyboard")
                let ids = device.vendor.isEmpty ? "" : "  usb \(device.vendor):\(device.product)"
                lines.append("  \(device.name)  [\(what)]\(ids)")
                var setting = "    device = \"\(device.stablePath ?? device.node)\""
                if device.kind == .hidPOS { setting += "   protocol = \"hid-pos\"" }
                lines.append(setting)
                lines.append(device.readable
                    ? "    this user may read it (\(device.node))"
                    : "    this user may NOT read \(device.node): install Assets/99-shroff-scanner.rules or join the input group (README, \"The scanner\")")
            }
            lines.append("Copy the scanner's device line under [scanner] in the configuration.")
        }
        if let configured {
            lines.append("Configured now: [scanner] device = \"\(configured.device)\" (\(configured.kind.rawValue)).")
        } else {
            lines.append("Configured now: no [scanner] table: the scanner is read from the terminal, told from typing by its timing.")
        }
        let listed: [JSONValue] = devices.map { device in
            .object([
                "name": .string(device.name),
                "vendor": .string(device.vendor),
                "product": .string(device.product),
                "node": .string(device.node),
                "device": .string(device.stablePath ?? device.node),
                "protocol": .string(device.kind.rawValue),
                "looks_like_scanner": .bool(device.looksLikeScanner),
                "readable": .bool(device.readable),
            ])
        }
        output.result(lines.joined(separator: "\n"), ["devices": .array(listed), "configured": .optional(configured?.device)])
    }
}
