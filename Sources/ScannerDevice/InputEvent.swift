internal import CInput

/// One `struct input_event` from an evdev device: its type, code and value (the kernel's time
/// stamp is not needed: every line from the scanner's own device is a scan, whatever its pace).
public struct InputEvent: Sendable, Equatable {
    public var type: UInt16
    public var code: UInt16
    public var value: Int32

    public init(type: UInt16, code: UInt16, value: Int32) {
        self.type = type
        self.code = code
        self.value = value
    }

    /// The size of one record on this machine (24 bytes on 64-bit Linux: a timeval, then type,
    /// code and value).
    public static var recordSize: Int { Int(shroff_input_event_size()) }

    /// EV_KEY, and the values a key event carries.
    public static let keyType = UInt16(EV_KEY)
    public static let released: Int32 = 0, pressed: Int32 = 1, repeated: Int32 = 2

    /// Reads one record (`recordSize` bytes): type, code and value are its last 8 bytes, in the
    /// machine's byte order, whatever the size of the timeval before them.
    init(record: UnsafeRawBufferPointer) {
        let tail = record.count - 8
        type = record.loadUnaligned(fromByteOffset: tail, as: UInt16.self)
        code = record.loadUnaligned(fromByteOffset: tail + 2, as: UInt16.self)
        value = record.loadUnaligned(fromByteOffset: tail + 4, as: Int32.self)
    }

    /// The record as the kernel writes it, with a zero time stamp: what a recorded scanner
    /// (a test's FIFO) writes.
    public var record: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: InputEvent.recordSize - 8)
        withUnsafeBytes(of: type) { bytes += $0 }
        withUnsafeBytes(of: code) { bytes += $0 }
        withUnsafeBytes(of: value) { bytes += $0 }
        return bytes
    }

    /// The events a scanner sends for `text` followed by Enter: each key pressed then released,
    /// Shift held around capitals and shifted symbols. Characters the US keymap lacks are left out.
    public static func typing(_ text: String, repeats: Bool = false) -> [InputEvent] {
        var events: [InputEvent] = []
        func key(_ code: UInt16, _ value: Int32) { events.append(InputEvent(type: keyType, code: code, value: value)) }
        for character in text {
            guard let (code, shifted) = USKeymap.key(for: character) else { continue }
            if shifted { key(USKeymap.leftShift, pressed) }
            key(code, pressed)
            if repeats { key(code, repeated) }
            key(code, released)
            if shifted { key(USKeymap.leftShift, released) }
        }
        key(USKeymap.enter, pressed)
        key(USKeymap.enter, released)
        return events
    }
}
