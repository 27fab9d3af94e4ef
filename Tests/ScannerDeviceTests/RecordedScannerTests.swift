import Foundation
import ScannerDevice
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A recorded scanner: `input_event` records written to a FIFO that the reader opens as its
/// device, read through `ScannerWatch`, the same path the till uses.
@Suite("A recorded scanner through a FIFO", .serialized, .timeLimit(.minutes(1)))
struct RecordedScannerTests {
    static let code = "134567890123456789"

    /// A FIFO in a temporary folder of its own, removed afterwards.
    final class FIFO {
        let folder: String
        let path: String
        init() throws {
            folder = FileManager.default.temporaryDirectory.path + "/shroff-scanner-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/scanner"
            guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        deinit { try? FileManager.default.removeItem(atPath: folder) }

        /// Opens the writing end; blocks until a reader has the FIFO open.
        func openWriter() -> Int32 { open(path, O_WRONLY | O_CLOEXEC) }
    }

    /// Writes `bytes` in pieces of `chunk` bytes, so records arrive split across reads.
    private func write(_ bytes: [UInt8], to fd: Int32, chunk: Int) {
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            let written = bytes[offset..<end].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            #expect(written == end - offset)
            offset = end
        }
    }

    /// Starts a watch on `path`; its events arrive on the returned stream.
    private func watch(_ path: String, kind: ScannerProtocol = .keyboard) -> (ScannerWatch, AsyncStream<ScannerEvent>) {
        let (stream, continuation) = AsyncStream<ScannerEvent>.makeStream()
        let watch = ScannerWatch(path: path, kind: kind, grab: true, retryInterval: .milliseconds(50)) { continuation.yield($0) }
        watch.start()
        return (watch, stream)
    }

    @Test("press/release, Shift, repeats and Enter from the FIFO → exactly the code; grab refused gracefully; EOF → disconnected")
    func scanThroughFIFO() async throws {
        let fifo = try FIFO()
        let (watch, stream) = watch(fifo.path)
        defer { watch.stop() }
        var events = stream.makeAsyncIterator()

        let connected = await events.next()
        guard case .connected(let exclusive, let refusal) = connected else {
            Issue.record("expected connected, got \(String(describing: connected))")
            return
        }
        #expect(!exclusive, "a FIFO cannot be grabbed")
        #expect(refusal?.contains("not an evdev device") == true, "\(String(describing: refusal))")

        let writer = fifo.openWriter()
        #expect(writer >= 0)
        // A stray Shift press and release, a repeat, then the code with Enter, in odd-sized pieces.
        let noise = [InputEvent(type: 1, code: 42, value: 1), InputEvent(type: 1, code: 42, value: 0)]
        let bytes = (noise + InputEvent.typing(Self.code, repeats: true) + InputEvent.typing("Ab1")).flatMap(\.record)
        write(bytes, to: writer, chunk: 37)
        #expect(await events.next() == .scan(Self.code))
        #expect(await events.next() == .scan("Ab1"))

        close(writer)
        let lost = await events.next()
        #expect(lost == .unavailable(.disconnected(fifo.path)), "\(String(describing: lost))")
    }

    @Test("a device that is missing at first is reported once, and picked up when it appears")
    func missingThenPluggedIn() async throws {
        let fifo = try FIFO()
        let absent = fifo.folder + "/later"
        let (watch, stream) = watch(absent)
        defer { watch.stop() }
        var events = stream.makeAsyncIterator()
        #expect(await events.next() == .unavailable(.missing(absent)))
        #expect(rename(fifo.path, absent) == 0)
        guard case .connected = await events.next() else {
            Issue.record("the scanner was not picked up once its node appeared")
            return
        }
        let writer = open(absent, O_WRONLY | O_CLOEXEC)
        write(InputEvent.typing("12345").flatMap(\.record), to: writer, chunk: 24)
        #expect(await events.next() == .scan("12345"))
        close(writer)
    }

    @Test("stop() without start() returns at once, and a second stop() is harmless")
    func stopWithoutStart() {
        let watch = ScannerWatch(path: "/nonexistent/scanner", kind: .keyboard, grab: true) { _ in }
        watch.stop()
        watch.stop()
    }

    @Test("a node this user may not read says so, naming the udev rule",
          .enabled(if: geteuid() != 0, "skipped: running as root, who may open any node, so permission cannot be refused"))
    func permissionDenied() throws {
        let fifo = try FIFO()
        chmod(fifo.path, 0)
        #expect(throws: ScannerError.permissionDenied(fifo.path)) { try ScannerPort(path: fifo.path, kind: .keyboard, grab: true) }
        #expect(ScannerError.permissionDenied(fifo.path).description.contains("udev rule"))
    }

    @Test("through the kernel: a uinput keyboard's scan comes out of its evdev node, grabbed",
          .enabled(if: FileManager.default.isWritableFile(atPath: "/dev/uinput"),
                   "skipped: /dev/uinput is missing or not writable by this user (a container without the uinput module, or no permission), so no virtual keyboard can be made"))
    func uinput() async throws {
        let keyboard = try VirtualKeyboard()
        let (watch, stream) = watch(keyboard.node)
        defer { watch.stop() }
        var events = stream.makeAsyncIterator()
        let connected = await events.next()
        #expect(connected == .connected(exclusive: true, grabRefusal: nil), "\(String(describing: connected))")
        try keyboard.send(InputEvent.typing(Self.code))
        #expect(await events.next() == .scan(Self.code))
    }
}
