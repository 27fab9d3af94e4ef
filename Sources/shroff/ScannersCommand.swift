import ArgumentParser
import Config
import Foundation
import ScannerDevice
import Words

/// `shroff scanners`: the keyboards and scanners on this machine, with the stable path to put
/// in `[scanner] device` and whether this user may open it. Reads only; opens no device.
struct ScannersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scanners",
        abstract: "List the input devices that look like scanners or keyboards, for [scanner] device.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try TillSession.forbidCoreDumps()
        let configuration = try? ConfigLoader.load(explicitPath: global.config, environment: ProcessInfo.processInfo.environment)
        let language = try TillSession.chooseLanguage(global, configured: configuration?.store.language)
        let output = Output(json: global.json, training: false, words: global.json ? .english : Words(language.language))
        let words = output.words
        let devices = InputDeviceCatalog.list()
        let configured = configuration?.scanner
        var lines: [String] = []
        if devices.isEmpty {
            lines.append(words("cli.scanners.none"))
        } else {
            lines.append(words("cli.scanners.heading"))
            for device in devices {
                let what = words(device.kind == .hidPOS ? "cli.scanners.kind_hid_pos" : (device.looksLikeScanner ? "cli.scanners.kind_wedge" : "cli.scanners.kind_keyboard"))
                let ids = device.vendor.isEmpty ? "" : "  usb \(device.vendor):\(device.product)"
                lines.append("  \(device.name)  [\(what)]\(ids)")
                var setting = "    device = \"\(device.stablePath ?? device.node)\""
                if device.kind == .hidPOS { setting += "   protocol = \"hid-pos\"" }
                lines.append(setting)
                lines.append(device.readable
                    ? "    " + words("cli.scanners.readable", ["node": device.node])
                    : "    " + words("cli.scanners.unreadable", ["node": device.node]))
            }
            lines.append(words("cli.scanners.copy"))
        }
        if let configured {
            lines.append(words("cli.scanners.configured", ["device": configured.device, "protocol": configured.kind.rawValue]))
        } else {
            lines.append(words("cli.scanners.not_configured"))
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
