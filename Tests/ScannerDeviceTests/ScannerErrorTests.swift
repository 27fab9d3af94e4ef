@testable import ScannerDevice
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a person at the till reads when the scanner cannot be opened.
@Suite("Scanner errors say what to do")
struct ScannerErrorTests {
    @Test("open's errno becomes the error a person can act on")
    func mapping() {
        let path = "/dev/input/by-id/usb-scanner-event-kbd"
        #expect(ScannerPort.openError(path: path, code: ENOENT) == .missing(path))
        #expect(ScannerPort.openError(path: path, code: ENODEV) == .missing(path))
        #expect(ScannerPort.openError(path: path, code: EACCES) == .permissionDenied(path))
        #expect(ScannerPort.openError(path: path, code: EPERM) == .permissionDenied(path))
        #expect(ScannerPort.openError(path: path, code: EMFILE) == .system(path, operation: "opening", errno: EMFILE))
    }

    @Test("each message names the device and the next step")
    func messages() {
        let path = "/dev/hidraw3"
        #expect(ScannerError.missing(path).description.contains("shroff scanners"))
        #expect(ScannerError.permissionDenied(path).description.contains("Assets/99-shroff-scanner.rules"))
        #expect(ScannerError.permissionDenied(path).description.contains("input group"))
        #expect(ScannerError.grabbedElsewhere(path).description.contains("EVIOCGRAB"))
        #expect(ScannerError.notHIDPOS(path).description.contains("0x8C"))
        for error in [ScannerError.missing(path), .permissionDenied(path), .grabbedElsewhere(path), .notHIDPOS(path), .disconnected(path)] {
            #expect(error.description.contains(path))
        }
    }
}
