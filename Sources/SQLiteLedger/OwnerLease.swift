import Foundation
import Ledger
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's claim on the orders it starts, kept as an exclusive `flock` on a file of
/// its own in `<ledger>.owners/`.
///
/// Why a kernel lock: the kernel drops it when the process dies, however it dies (kill -9, a
/// power cut), so an owner can never go stale. Any other process tells a live owner from a
/// dead one by trying the same lock without waiting: it is refused only while the owner lives.
/// `flock` locks belong to an open file, so even this process, opening the file again, is
/// refused — a live owner looks alive to everyone.
public final class OwnerLease: Sendable {
    /// The name orders carry in their `owner` column.
    public let id: String
    let folder: String
    /// The locked file; nil once released.
    private let descriptor: Mutex<Int32?>

    /// Takes a new lease beside `ledgerPath`; nil when the folder cannot be written.
    init?(ledgerPath: String) {
        let folder = ledgerPath + ".owners"
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { return nil }
        let id = "\(getpid())-" + UUID().uuidString.prefix(8).lowercased()
        // Locked under a name no sweep looks at, then renamed into place: a file that appears
        // under its lease name is already locked.
        let unready = "\(folder)/\(id).new"
        let fd = open(unready, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, rename(unready, Self.file(folder, id)) == 0 else {
            unlink(unready)
            _ = close(fd)
            return nil
        }
        self.id = id
        self.folder = folder
        descriptor = Mutex(fd)
        Self.sweep(folder, keeping: id)
    }

    deinit { release() }

    /// Gives the lease up, as the process's end would: its open orders may be taken over.
    func release() {
        guard let fd = descriptor.withLock({ fd -> Int32? in defer { fd = nil }; return fd }) else { return }
        // Removing the file first keeps the folder small; the lock goes with the descriptor.
        unlink(Self.file(folder, id))
        flock(fd, LOCK_UN)
        _ = close(fd)
    }

    /// True while the process that took lease `id` is alive.
    func isAlive(_ id: String) -> Bool {
        if id == self.id { return descriptor.withLock { $0 != nil } }
        return Self.isAlive(id, in: folder)
    }

    static func isAlive(_ id: String, in folder: String) -> Bool {
        guard !id.contains("/") else { return false }
        let fd = open(file(folder, id), O_RDWR | O_CLOEXEC)
        // No file: its owner ended long ago. Any other failure (too many open files, no
        // permission) proves nothing, and a live till must never be taken for dead.
        guard fd >= 0 else { return errno != ENOENT }
        defer { _ = close(fd) }
        // A shared lock: only the owner's exclusive one refuses it, so two processes looking
        // at the same dead owner at once both see it dead instead of each other's lock.
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            // Nobody holds it: the owner died. Its file goes; its orders may be taken over.
            unlink(file(folder, id))
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }

    /// Removes the files of owners that died, so the folder holds only live ones.
    private static func sweep(_ folder: String, keeping own: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasSuffix(".lease") {
            let id = String(name.dropLast(".lease".count))
            if id != own { _ = isAlive(id, in: folder) }
        }
    }

    private static func file(_ folder: String, _ id: String) -> String { "\(folder)/\(id).lease" }
}

/// An exclusive lock on a file, held for a short critical section across processes (opening
/// and migrating a ledger). Released when `body` returns or the process dies.
enum FileLock {
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw LedgerError.cannotOpen(path: path, reason: "its lock file cannot be created (\(String(cString: strerror(errno))))")
        }
        defer { _ = close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
