import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where receipts go, from the `[receipts]` configuration.
public enum ReceiptDestination: Sendable, Equatable {
    /// A folder: one text file per receipt, named by its order or refund number.
    case directory(String)
    /// An ESC/POS printer's device file (for example /dev/usb/lp0): the encoded bytes.
    case device(String)
}

/// Sends receipts to their configured destinations.
///
/// What it promises: failures come back as a value (`OwnerError`), never thrown, so the
/// till's loop carries on and shows the receipt on screen; every destination is tried even when
/// one fails; a receipt file is never overwritten (a reprint gets `-2`, `-3`…) and appears
/// whole or not at all. Writing to a device blocks until the driver takes the bytes: call it
/// away from the screen's loop.
public struct ReceiptPrinter: Sendable {
    public var destinations: [ReceiptDestination]
    /// The printer device's character set; text files are always UTF-8.
    public var characters: PrinterCharacters

    public init(destinations: [ReceiptDestination], characters: PrinterCharacters = .ascii) {
        self.destinations = destinations
        self.characters = characters
    }

    /// A printer for `[receipts] directory` and/or `printer`; no destinations when neither is set.
    public init(directory: String?, device: String?, characters: PrinterCharacters = .ascii) {
        var destinations: [ReceiptDestination] = []
        if let directory, !directory.isEmpty { destinations.append(.directory(directory)) }
        if let device, !device.isEmpty { destinations.append(.device(device)) }
        self.init(destinations: destinations, characters: characters)
    }

    /// Sends `receipt` everywhere configured; nil when all took it, else the first failure.
    public func print(_ receipt: Receipt) -> OwnerError? {
        var firstFailure: OwnerError?
        for destination in destinations {
            let failure: OwnerError?
            switch destination {
            case .directory(let folder):
                switch Self.writeFile(receipt, in: folder) {
                case .success: failure = nil
                case .failure(let error): failure = error
                }
            case .device(let path):
                do throws(OwnerError) {
                    failure = Self.writeDevice(try ESCPOS.encode(receipt, in: characters), to: path)
                } catch {
                    failure = error
                }
            }
            if firstFailure == nil { firstFailure = failure }
        }
        return firstFailure
    }

    /// Writes the receipt's text to `folder/<number>.txt` (or `<number>-2.txt`… when taken)
    /// and returns the file's path.
    public static func writeFile(_ receipt: Receipt, in folder: String) -> Result<String, OwnerError> {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return .failure(.fileFailed(path: folder, action: "create the receipts folder", reason: ManagerPINStore.reason(error)))
        }
        // Receipt numbers are letters and digits; anything else is dropped so a name cannot leave the folder.
        let base = String(receipt.number.unicodeScalars.filter { $0.properties.isASCIIHexDigit || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) }.map(Character.init))
        let stem = base.isEmpty ? "receipt" : base
        let bytes = Array(receipt.text.utf8)
        let temporary = (folder as NSString).appendingPathComponent(".\(stem).\(UUID().uuidString).tmp")
        if let failure = writeAll(bytes, to: temporary, flags: O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, sync: true) {
            return .failure(failure)
        }
        defer { unlink(temporary) }
        for copy in 1...1000 {
            let name = copy == 1 ? "\(stem).txt" : "\(stem)-\(copy).txt"
            let path = (folder as NSString).appendingPathComponent(name)
            // link() refuses an existing name, so two prints never overwrite each other.
            if link(temporary, path) == 0 { return .success(path) }
            guard errno == EEXIST else {
                return .failure(.fileFailed(path: path, action: "write", reason: ManagerPINStore.systemReason()))
            }
        }
        return .failure(.fileFailed(path: folder, action: "name a receipt file in", reason: "1000 copies of \(stem) exist"))
    }

    /// Writes ESC/POS bytes to an existing device file (never creates one: a missing printer is an error).
    public static func writeDevice(_ bytes: [UInt8], to path: String) -> OwnerError? {
        guard let failure = writeAll(bytes, to: path, flags: O_WRONLY | O_NOCTTY | O_APPEND | O_CLOEXEC, sync: false) else {
            return nil
        }
        if case .fileFailed(_, _, let reason) = failure { return .printerFailed(path: path, reason: reason) }
        return failure
    }

    private static func writeAll(_ bytes: [UInt8], to path: String, flags: Int32, sync: Bool) -> OwnerError? {
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { return .fileFailed(path: path, action: "open", reason: ManagerPINStore.systemReason()) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = ManagerPINStore.systemReason()
                _ = close(fd)
                return .fileFailed(path: path, action: "write", reason: reason)
            }
            written += result
        }
        if sync && fsync(fd) != 0 {
            let reason = ManagerPINStore.systemReason()
            _ = close(fd)
            return .fileFailed(path: path, action: "flush", reason: reason)
        }
        guard close(fd) == 0 else { return .fileFailed(path: path, action: "close", reason: ManagerPINStore.systemReason()) }
        return nil
    }
}
