import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ManagerPINStore {
    /// The lock file beside the PIN file. The PIN file itself is replaced by a rename on every
    /// write, so a lock on it would be on the old file; this one stays.
    var lockPath: String { path + ".lock" }

    /// Runs `body` holding an exclusive `flock` on `lockPath`, waiting for any other process or
    /// task that holds it. The kernel drops the lock if this process dies.
    func withFileLock<T>(_ body: () throws(OwnerError) -> T) throws(OwnerError) -> T {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileFailed(path: folder, action: "create the folder", reason: Self.reason(error))
        }
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .fileFailed(path: lockPath, action: "open the lock", reason: Self.systemReason()) }
        defer { _ = close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .fileFailed(path: lockPath, action: "lock", reason: Self.systemReason()) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The stored record, or nil when no PIN file exists.
    func readRecord() throws(OwnerError) -> PINRecord? {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return nil }
            throw .fileFailed(path: path, action: "read", reason: Self.reason(error))
        }
        let record: PINRecord
        do {
            record = try JSONDecoder().decode(PINRecord.self, from: data)
        } catch {
            // The decoder's message may quote the file; say only that it is not the expected JSON.
            throw .pinFileDamaged(path: path, reason: "it is not a manager PIN record")
        }
        guard record.algorithm == PINRecord.algorithmName else {
            throw .pinFileDamaged(path: path, reason: "unknown algorithm \"\(record.algorithm.prefix(40))\"")
        }
        guard record.failedAttempts >= 0 else {
            throw .pinFileDamaged(path: path, reason: "a negative attempt count")
        }
        return record
    }

    /// Writes the record to a new file (mode 0600) beside the old one, flushes it, then renames
    /// it over the old one: a crash leaves the old record or the new one, never half of either.
    func writeRecord(_ record: PINRecord) throws(OwnerError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileFailed(path: folder, action: "create the folder", reason: Self.reason(error))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(record))
        } catch {
            throw .fileFailed(path: path, action: "encode", reason: "the record cannot be written as JSON")
        }
        let temporary = (folder as NSString).appendingPathComponent(".\(Self.fileName).\(UUID().uuidString).tmp")
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .fileFailed(path: temporary, action: "create", reason: Self.systemReason()) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = Self.systemReason()
                _ = close(fd)
                unlink(temporary)
                throw .fileFailed(path: temporary, action: "write", reason: reason)
            }
            written += result
        }
        // The mode is set explicitly: a restrictive umask is fine, a loose one must not widen it.
        let synced = fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        let reason = synced ? "" : Self.systemReason()
        _ = close(fd)
        guard synced else {
            unlink(temporary)
            throw .fileFailed(path: temporary, action: "flush", reason: reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = Self.systemReason()
            unlink(temporary)
            throw .fileFailed(path: path, action: "replace", reason: reason)
        }
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
