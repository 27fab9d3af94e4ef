internal import CInput
import Foundation

/// A keyboard made with `/dev/uinput`: the kernel gives it an evdev node like a USB scanner's,
/// so a scan can be sent through the real kernel path. For tests and for checking a setup.
///
/// Promises: the device is destroyed and `/dev/uinput` closed in `deinit`.
public final class VirtualKeyboard {
    private let descriptor: Int32
    /// The device's evdev node, `/dev/input/eventN`.
    public let node: String

    /// Creates the device and waits (up to `timeout`) for its event node to appear.
    public init(name: String = "Shroff test scanner", timeout: Duration = .seconds(5)) throws(ScannerError) {
        let fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ScannerPort.openError(path: "/dev/uinput", code: errno) }
        guard shroff_uinput_enable_keys(fd) == 0, shroff_uinput_create(fd, name) == 0 else {
            let code = errno
            close(fd)
            throw .system("/dev/uinput", operation: "creating a keyboard on", errno: code)
        }
        var buffer = [CChar](repeating: 0, count: 64)
        guard shroff_uinput_sysname(fd, &buffer, Int32(buffer.count)) >= 0 else {
            let code = errno
            _ = shroff_uinput_destroy(fd)
            close(fd)
            throw .system("/dev/uinput", operation: "naming the keyboard on", errno: code)
        }
        let sysname = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let folder = "/sys/devices/virtual/input/\(sysname)"
        let deadline = ContinuousClock.now + timeout
        var found: String?
        repeat {
            found = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.first { $0.hasPrefix("event") }
            if found == nil { Thread.sleep(forTimeInterval: 0.02) }
        } while found == nil && ContinuousClock.now < deadline
        guard let event = found, FileManager.default.fileExists(atPath: "/dev/input/\(event)") else {
            _ = shroff_uinput_destroy(fd)
            close(fd)
            throw .missing("/dev/input/event* for \(folder)")
        }
        descriptor = fd
        node = "/dev/input/\(event)"
    }

    deinit {
        _ = shroff_uinput_destroy(descriptor)
        close(descriptor)
    }

    /// Sends `events`, each followed by a SYN_REPORT as a real keyboard does.
    public func send(_ events: [InputEvent]) throws(ScannerError) {
        for event in events {
            guard shroff_uinput_emit(descriptor, Int32(event.type), Int32(event.code), event.value) > 0,
                  shroff_uinput_emit(descriptor, Int32(EV_SYN), Int32(SYN_REPORT), 0) > 0 else {
                throw .system(node, operation: "writing to", errno: errno)
            }
        }
    }
}
