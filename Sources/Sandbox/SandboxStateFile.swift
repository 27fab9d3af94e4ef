import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state file on disk: read whole, written whole and atomically (a temporary file in the
/// same folder, fsync, rename), readable by its owner only (0600). The state is a few
/// kilobytes, so rewriting it after each change costs less than keeping a journal would.
enum SandboxStateFile {
    /// Why the file could not be read, written or moved; names the path and the system's reason.
    struct Failure: Error, CustomStringConvertible {
        var description: String

        init(_ what: String, _ path: String, code: Int32) {
            description = "\(what) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// Which version of the file is on disk. Every save renames a new file into place, so
    /// another process's save changes it; comparing it costs one `stat` per request.
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanoseconds: Int64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
            modified = Int64(info.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtimespec.tv_nsec)
            #else
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
            #endif
        }
    }

    /// The identity of the file now at `path`, or nil when there is none.
    static func identity(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(info)
    }

    /// The file's bytes and identity, or nil when there is no file.
    static func read(_ path: String) throws(Failure) -> (bytes: [UInt8], identity: Identity)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw Failure("cannot open", path, code: code)
        }
        defer { closeDescriptor(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure("cannot read", path, code: errno) }
        let identity = Identity(info)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure("cannot read", path, code: code)
            }
            if count == 0 { return (bytes, identity) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces the file with `bytes` in one step: a reader sees the old state or the new one,
    /// never half of either. Creates the folder (0700) when missing. Returns the new file's
    /// identity (a rename keeps it).
    static func write(_ bytes: [UInt8], to path: String) throws(Failure) -> Identity {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        // Unique per save, so two sandboxes saving at once never share a temporary file.
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure("cannot create", temporary, code: errno) }
        let identity: Identity
        do throws(Failure) {
            defer { closeDescriptor(fd) }
            // The mode asked of open() is narrowed by the umask and ignored for an old file.
            guard fchmod(fd, 0o600) == 0 else { throw Failure("cannot set the mode of", temporary, code: errno) }
            try writeAll(bytes, fd, temporary)
            guard fsync(fd) == 0 else { throw Failure("cannot flush", temporary, code: errno) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw Failure("cannot read back", temporary, code: errno) }
            identity = Identity(info)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure("cannot replace", path, code: code)
        }
        return identity
    }

    private static func writeAll(_ bytes: [UInt8], _ fd: Int32, _ path: String) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure("cannot write", path, code: code)
            }
            written += count
        }
    }

    /// Moves an unusable file aside (`moveAside`) and logs `message` with why, so that the
    /// simulator can start empty rather than stop.
    static func setAside(_ path: String, problem: String, stamp: String, logger: Logger, _ message: Logger.Message) {
        var metadata: Logger.Metadata = ["state_file": "\(path)", "problem": "\(problem)"]
        do {
            metadata["moved_to"] = "\(try moveAside(path, stamp: stamp))"
        } catch {
            metadata["move_failed"] = "\(error)"
        }
        logger.warning(message, metadata: metadata)
    }

    /// Moves an unusable file to `<path>.corrupt-<stamp>` (with a suffix when that is taken);
    /// returns the new path.
    static func moveAside(_ path: String, stamp: String) throws(Failure) -> String {
        var target = "\(path).corrupt-\(stamp)"
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            attempt += 1
            target = "\(path).corrupt-\(stamp)-\(attempt)"
        }
        guard rename(path, target) == 0 else { throw Failure("cannot move aside", path, code: errno) }
        return target
    }
}

// Outside `SandboxStateFile`, whose `read`/`write` would shadow the system calls' names.

private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
