import Foundation
import Ledger
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLiteLedger {
    /// Creates the folders leading to `path` (0700) and an empty file (0600) if missing, so the
    /// ledger, its WAL and its shared-memory file are readable by the till's user only.
    /// Errors name the failing folder and the system's reason.
    static func prepareFile(at path: String) throws(LedgerError) {
        guard !path.isEmpty else { throw .cannotOpen(path: path, reason: "no path given") }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try makeFolders(folder, for: path) }

        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw .cannotOpen(path: path, reason: "it is a folder or a device, not a file")
            }
            return
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return }  // another process created it meanwhile
            throw .cannotOpen(path: path, reason: "the file cannot be created (\(String(cString: strerror(code))))")
        }
        closeDescriptor(fd)
    }

    private static func makeFolders(_ folder: String, for path: String) throws(LedgerError) {
        var built = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/", omittingEmptySubsequences: true) {
            built += "/" + component
            var info = stat()
            if stat(built, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw .cannotOpen(path: path, reason: "\(built) is a file, not a folder")
                }
                continue
            }
            if mkdir(built, 0o700) != 0 {
                let code = errno
                guard code == EEXIST else {
                    throw .cannotOpen(path: path, reason: "the folder \(built) cannot be created (\(String(cString: strerror(code))))")
                }
            }
        }
    }
}

/// Outside `Ledger`, whose own `close()` would shadow the system call.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
