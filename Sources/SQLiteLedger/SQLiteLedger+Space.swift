import Foundation
import Ledger
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLiteLedger {
    /// Refuses to start a sale when the ledger's disk has less than `minimum` bytes free, so a
    /// payment is never taken that the ledger then cannot record (a disk nearly full accepts
    /// the first write and fails a later one). In-memory ledgers always have room.
    public func checkRoomForASale(minimum: UInt64 = LedgerRoom.forASale) throws(LedgerError) {
        guard let path else { return }
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else { return }  // unknown: the writes will tell
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        guard free >= minimum else { throw .diskNearlyFull(path: path, freeBytes: free) }
    }
}
