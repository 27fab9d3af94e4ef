import Foundation

/// One input device that could be the till's scanner, as `shroff scanners` lists it.
public struct InputDeviceEntry: Sendable, Equatable {
    public var name: String
    /// USB vendor and product id, four hex digits each ("0c2e", "0b61").
    public var vendor: String
    public var product: String
    /// The node to read: `/dev/input/eventN` or `/dev/hidrawN`.
    public var node: String
    /// The stable path under `/dev/input/by-id/` (or `/dev/hidraw` when there is none): what to
    /// write in `[scanner] device`, since eventN numbers change between boots.
    public var stablePath: String?
    public var kind: ScannerProtocol
    /// True when the name says scanner (bar code, Honeywell, Zebra, Datalogic…), or for HID POS.
    public var looksLikeScanner: Bool
    /// True when this user may open the node for reading.
    public var readable: Bool

    public init(name: String, vendor: String, product: String, node: String, stablePath: String?,
                kind: ScannerProtocol, looksLikeScanner: Bool, readable: Bool) {
        self.name = name
        self.vendor = vendor
        self.product = product
        self.node = node
        self.stablePath = stablePath
        self.kind = kind
        self.looksLikeScanner = looksLikeScanner
        self.readable = readable
    }
}

/// Finds the keyboards and scanners on this machine, from `/proc/bus/input/devices` (evdev),
/// `/sys/class/hidraw` (HID POS) and the `/dev/input/by-id` links. Reads only; opens nothing.
public enum InputDeviceCatalog {
    static let scannerWords = ["scanner", "barcode", "bar code", "honeywell", "zebra", "symbol", "datalogic", "newland", "zebex", "metrologic", "hid pos"]

    /// Every device that types keys (a `kbd` handler with an event node) and every HID POS
    /// scanner, scanners first. Empty when the machine has no input devices (a container).
    public static func list(root: String = "") -> [InputDeviceEntry] {
        let links = byIDLinks(directory: root + "/dev/input/by-id")
        var entries: [InputDeviceEntry] = []
        if let text = try? String(contentsOfFile: root + "/proc/bus/input/devices", encoding: .utf8) {
            for device in parse(text) {
                let node = "/dev/input/" + device.event
                entries.append(InputDeviceEntry(
                    name: device.name, vendor: device.vendor, product: device.product, node: node,
                    stablePath: links[device.event], kind: .keyboard,
                    looksLikeScanner: looksLikeScanner(device.name), readable: access(root + node, R_OK) == 0))
            }
        }
        let hidraw = root + "/sys/class/hidraw"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: hidraw)) ?? []).sorted() {
            guard let descriptor = FileManager.default.contents(atPath: "\(hidraw)/\(name)/device/report_descriptor"),
                  HIDPOSReport.describesScanner(Array(descriptor)) else { continue }
            let uevent = (try? String(contentsOfFile: "\(hidraw)/\(name)/device/uevent", encoding: .utf8)) ?? ""
            let title = uevent.split(separator: "\n").first { $0.hasPrefix("HID_NAME=") }.map { String($0.dropFirst(9)) } ?? name
            let ids = uevent.split(separator: "\n").first { $0.hasPrefix("HID_ID=") }?.split(separator: ":") ?? []
            let node = "/dev/" + name
            entries.append(InputDeviceEntry(
                name: title, vendor: ids.count == 3 ? String(ids[1].suffix(4)).lowercased() : "",
                product: ids.count == 3 ? String(ids[2].suffix(4)).lowercased() : "", node: node, stablePath: nil,
                kind: .hidPOS, looksLikeScanner: true, readable: access(root + node, R_OK) == 0))
        }
        return entries.enumerated().sorted { ($0.element.looksLikeScanner ? 0 : 1, $0.offset) < ($1.element.looksLikeScanner ? 0 : 1, $1.offset) }.map(\.element)
    }

    /// A keyboard-like device from `/proc/bus/input/devices`.
    struct ProcDevice: Equatable {
        var name: String
        var vendor: String
        var product: String
        /// "event5"
        var event: String
    }

    /// The devices in `/proc/bus/input/devices` text that have a `kbd` handler and an event node.
    static func parse(_ text: String) -> [ProcDevice] {
        var devices: [ProcDevice] = []
        for block in text.components(separatedBy: "\n\n") {
            var name = "", vendor = "", product = "", handlers: [Substring] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("N: Name=") {
                    name = String(line.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                } else if line.hasPrefix("I: ") {
                    for field in line.dropFirst(3).split(separator: " ") {
                        if field.hasPrefix("Vendor=") { vendor = String(field.dropFirst(7)) }
                        if field.hasPrefix("Product=") { product = String(field.dropFirst(8)) }
                    }
                } else if line.hasPrefix("H: Handlers=") {
                    handlers = line.dropFirst(12).split(separator: " ")
                }
            }
            guard handlers.contains("kbd"), let event = handlers.first(where: { $0.hasPrefix("event") }) else { continue }
            devices.append(ProcDevice(name: name, vendor: vendor, product: product, event: String(event)))
        }
        return devices
    }

    static func looksLikeScanner(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return scannerWords.contains { lowered.contains($0) }
    }

    /// eventN → its `/dev/input/by-id/…` link (the `-event-kbd` one when there are several).
    static func byIDLinks(directory: String) -> [String: String] {
        var links: [String: String] = [:]
        for link in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + link) else { continue }
            let event = URL(fileURLWithPath: target).lastPathComponent
            let path = "/dev/input/by-id/" + link
            if links[event] == nil || link.hasSuffix("-event-kbd") { links[event] = path }
        }
        return links
    }
}
