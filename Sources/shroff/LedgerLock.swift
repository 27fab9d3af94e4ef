import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock beside the ledger, held while a process takes payments or settles open
/// orders, so that two tills on one ledger never chase the same order. The system drops it
/// when the process dies, so a crash never leaves it stuck.
final class LedgerLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or returns nil when another process holds it.
    init?(ledgerPath: String) {
        let fd = open(ledgerPath + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
