import Foundation
import Testing
@testable import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// A result posted from the worker wakes the screen's loop at once: the loop waits on the
/// inbox's pipe beside the terminal, so nothing waits for the key poll to time out.
@Suite struct TerminalInboxWakeTests {
    /// Whether the pipe has something to read, without waiting.
    func readable(_ inbox: TillInbox) -> Bool {
        var descriptor = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 1
    }

    @Test func aPostMakesThePipeReadableAndDrainingEmptiesBoth() {
        let inbox = TillInbox()
        #expect(inbox.wakeDescriptor >= 0)
        #expect(!readable(inbox))

        inbox.post(.tick(now: .seconds(1), wall: Date()))
        inbox.notify(Notice("printed"))
        #expect(readable(inbox))

        let items = inbox.drain()
        #expect(items.count == 2)
        #expect(!readable(inbox), "a drained inbox would wake the loop for nothing")
        #expect(inbox.drain().isEmpty)
    }

    @Test func thousandsOfPostsNeverBlockTheWorkerAndAllArrive() {
        // More than a pipe holds: a full pipe already means "wake up", so the write is dropped.
        let inbox = TillInbox()
        for index in 0..<100_000 { inbox.notify(Notice("\(index)")) }
        #expect(readable(inbox))
        #expect(inbox.drain().count == 100_000)
    }
}
