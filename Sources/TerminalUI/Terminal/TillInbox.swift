import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where background work leaves what the screen's loop must apply: events for `TillState`,
/// and notices for outcomes the event vocabulary has no case for.
///
/// Thread-safe. Each post also writes a byte to a pipe the loop waits on beside the terminal
/// (`wakeDescriptor`), so a result (PAID, a report, a scan from the scanner's device) is drawn
/// at once rather than when the key poll next times out.
final class TillInbox: Sendable {
    enum Item: Sendable {
        case event(TillEvent)
        case notice(Notice)
    }

    private let items = Mutex<[Item]>([])
    /// The pipe's read end, for `poll`; -1 when no pipe could be made (the loop then polls).
    let wakeDescriptor: Int32
    private let wakeWriter: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
            (wakeDescriptor, wakeWriter) = (ends[0], ends[1])
        } else {
            (wakeDescriptor, wakeWriter) = (-1, -1)
        }
    }

    deinit {
        if wakeDescriptor >= 0 { close(wakeDescriptor) }
        if wakeWriter >= 0 { close(wakeWriter) }
    }

    func post(_ event: TillEvent) {
        items.withLock { $0.append(.event(event)) }
        wake()
    }

    func notify(_ notice: Notice) {
        items.withLock { $0.append(.notice(notice)) }
        wake()
    }

    /// Everything posted so far, oldest first, leaving the inbox (and its pipe) empty.
    func drain() -> [Item] {
        if wakeDescriptor >= 0 {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeDescriptor, &bytes, bytes.count) > 0 {}
        }
        return items.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }

    private func wake() {
        guard wakeWriter >= 0 else { return }
        var byte: UInt8 = 1
        // A full pipe already means "wake up": a failed write loses nothing.
        _ = write(wakeWriter, &byte, 1)
    }
}
