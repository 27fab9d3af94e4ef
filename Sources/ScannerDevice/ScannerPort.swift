internal import CInput
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How the scanner's device speaks.
public enum ScannerProtocol: String, Sendable, Equatable, CaseIterable {
    /// An evdev node (`/dev/input/eventN`, `/dev/input/by-id/…-event-kbd`): key events, US keymap.
    case keyboard
    /// A hidraw node (`/dev/hidrawN`) of a scanner in HID POS mode: one report per symbol.
    case hidPOS = "hid-pos"
}

/// The scanner's device, open: one file descriptor, taken exclusively when asked and allowed,
/// read into whole scans.
///
/// Promises: the descriptor is closed (and the grab released) in `deinit`; `read` never returns
/// a partial code; errors are `ScannerError`s with the device's path. Use from one thread.
public final class ScannerPort {
    public let path: String
    public let kind: ScannerProtocol
    /// True when EVIOCGRAB took the device: its keys reach no other program.
    public let exclusive: Bool
    /// Why the device could not be taken exclusively, when it was asked for and failed on a
    /// node that is not an evdev device (a FIFO in tests, a plain file).
    public let grabRefusal: String?
    /// True for a regular file (a recording): read once to its end, never reopened.
    public let isRecording: Bool

    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var decoder = KeyEventDecoder()

    /// Opens `path` for reading without blocking, and takes it exclusively when `grab` is set.
    public init(path: String, kind: ScannerProtocol, grab: Bool) throws(ScannerError) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ScannerPort.openError(path: path, code: errno) }
        var info = stat()
        let known = fstat(fd, &info) == 0
        let isDevice = known && (info.st_mode & S_IFMT) == S_IFCHR
        isRecording = known && (info.st_mode & S_IFMT) == S_IFREG
        var exclusive = false
        var refusal: String?
        switch kind {
        case .keyboard:
            if grab {
                if shroff_input_grab(fd, 1) == 0 {
                    exclusive = true
                } else {
                    let code = errno
                    if code == EBUSY { close(fd); throw .grabbedElsewhere(path) }
                    if isDevice && code != ENOTTY && code != EINVAL {
                        close(fd)
                        throw .system(path, operation: "taking (EVIOCGRAB)", errno: code)
                    }
                    refusal = "\(path) is not an evdev device, so it cannot be taken exclusively (\(ScannerError.words(for: code)))"
                }
            }
        case .hidPOS:
            if isDevice {
                var bytes = [UInt8](repeating: 0, count: 4096)
                let count = shroff_hidraw_descriptor(fd, &bytes, Int32(bytes.count))
                guard count > 0, HIDPOSReport.describesScanner(Array(bytes.prefix(Int(count)))) else {
                    close(fd)
                    throw .notHIDPOS(path)
                }
            }
        }
        self.path = path
        self.kind = kind
        self.descriptor = fd
        self.exclusive = exclusive
        self.grabRefusal = refusal
    }

    deinit {
        if exclusive { _ = shroff_input_grab(descriptor, 0) }
        close(descriptor)
    }

    /// What one read gave.
    public enum Reading: Sendable, Equatable {
        /// A whole scan: holds a payment code, so never show or log it.
        case scan(String)
        /// Something came that is not a scan Shroff takes; why (never the data).
        case refused(String)
    }

    /// Waits up to `timeout` for the device and returns the scans completed (possibly none).
    /// Throws `.disconnected` when the device went away or a FIFO's writer closed it.
    public func read(timeout: Duration) throws(ScannerError) -> [Reading] {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 {
            if errno == EINTR { return [] }
            throw .system(path, operation: "waiting on", errno: errno)
        }
        guard ready > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Glibc.read(descriptor, &buffer, kind == .hidPOS ? HIDPOSReport.size : buffer.count)
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EINTR { return [] }
            if code == ENODEV || code == EIO { throw .disconnected(path) }
            throw .system(path, operation: "reading", errno: code)
        }
        // End of file: a FIFO's last writer closed it (a real device says ENODEV instead).
        if count == 0 { throw .disconnected(path) }
        let bytes = Array(buffer.prefix(count))
        switch kind {
        case .hidPOS:
            switch HIDPOSReport.decode(bytes) {
            case .symbol(let text): return [.scan(text)]
            case .refused(let why): return [.refused(why)]
            }
        case .keyboard:
            pending += bytes
            let size = InputEvent.recordSize
            var out: [Reading] = []
            var start = 0
            while pending.count - start >= size {
                let event = pending[start..<(start + size)].withUnsafeBytes { InputEvent(record: $0) }
                start += size
                switch decoder.feed(event) {
                case .line(let text): out.append(.scan(text))
                case .overflowed: out.append(.refused("the scanner sent a line over \(decoder.maximumLength) characters; it was dropped"))
                case nil: break
                }
            }
            pending.removeFirst(start)
            return out
        }
    }

    static func openError(path: String, code: Int32) -> ScannerError {
        switch code {
        case ENOENT, ENODEV, ENXIO: .missing(path)
        case EACCES, EPERM: .permissionDenied(path)
        default: .system(path, operation: "opening", errno: code)
        }
    }
}
