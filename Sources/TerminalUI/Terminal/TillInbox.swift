import Synchronization

/// Where background work leaves what the screen's loop must apply: events for `TillState`,
/// and notices for outcomes the event vocabulary has no case for.
///
/// Thread-safe; the loop drains it between key reads, so nothing waits longer than one poll.
final class TillInbox: Sendable {
    enum Item: Sendable {
        case event(TillEvent)
        case notice(Notice)
    }

    private let items = Mutex<[Item]>([])

    func post(_ event: TillEvent) { items.withLock { $0.append(.event(event)) } }
    func notify(_ notice: Notice) { items.withLock { $0.append(.notice(notice)) } }

    /// Everything posted so far, oldest first, leaving the inbox empty.
    func drain() -> [Item] {
        items.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }
}
