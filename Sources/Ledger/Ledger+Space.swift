import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Ledger {
    /// Room a new sale needs on the ledger's disk: its order, its attempts, its events and the
    /// WAL's growth take a few kilobytes; this leaves a wide margin for the rest of the day.
    public static let roomForASale: UInt64 = 4 << 20

    /// Refuses to start a sale when the ledger's disk has less than `minimum` bytes free, so a
    /// payment is never taken that the ledger then cannot record (a disk nearly full accepts
    /// the first write and fails a later one). In-memory ledgers always have room.
    public func checkRoomForASale(minimum: UInt64 = Ledger.roomForASale) throws(LedgerError) {
        guard let path else { return }
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else { return }  // unknown: the writes will tell
        let free = UInt64(info.f_bavail) * UInt64(info.f_frsize)
        guard free >= minimum else { throw .diskNearlyFull(path: path, freeBytes: free) }
    }
}
