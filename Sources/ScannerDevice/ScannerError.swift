/// Why the scanner's device cannot be read, each with what a person at the till can do about it.
///
/// Descriptions name the device path and never contain scanned data.
public enum ScannerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such node: the scanner is unplugged, or the path is wrong.
    case missing(String)
    /// This user may not open the node.
    case permissionDenied(String)
    /// Another program holds the device exclusively (EVIOCGRAB).
    case grabbedElsewhere(String)
    /// A hidraw node whose report descriptor is not a HID POS bar code scanner's.
    case notHIDPOS(String)
    /// The device went away while being read (unplugged), or its writer closed (a FIFO).
    case disconnected(String)
    /// Any other failure of open, ioctl or read, with the system's word for it.
    case system(String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .missing(let path):
            return "no scanner at \(path): is it plugged in? `shroff scanners` lists the devices and their stable /dev/input/by-id paths"
        case .permissionDenied(let path):
            return "this user may not open \(path): install Assets/99-shroff-scanner.rules (a udev rule) or add the user to the input group, then log in again"
        case .grabbedElsewhere(let path):
            return "another program holds \(path) for itself (EVIOCGRAB): close it (or stop the service that took the scanner), and the till picks the scanner up"
        case .notHIDPOS(let path):
            return "\(path) is not a HID POS bar code scanner (usage page 0x8C with a Scanned Data Report, ID 2): set the scanner to HID POS mode, or use its keyboard node with protocol = \"keyboard\""
        case .disconnected(let path):
            return "\(path) went away (unplugged?)"
        case .system(let path, let operation, let code):
            return "\(operation) \(path) failed: \(ScannerError.words(for: code))"
        }
    }

    static func words(for code: Int32) -> String {
        String(cString: strerror(code))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
