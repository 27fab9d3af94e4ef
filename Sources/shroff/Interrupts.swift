import Foundation
import Synchronization
import Till
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during a payment: the first press cancels the order at the gateway (after any request
/// on the wire has answered); a second press leaves at once, with the order open — it is
/// settled the next time shroff starts.
///
/// Why a thread of its own and a pipe, not a dispatch signal source: on a busy 2-core machine
/// the dispatch threads can all be taken (curl blocks one while a request is on the wire), and a
/// press then waited seconds for one, arriving after the wire's answer. The signal handler only
/// writes a byte to a pipe (async-signal-safe); this thread, blocked on the pipe, acts at once.
final class Interrupts: Sendable {
    /// The pipe's write end, for the C signal handler; set before the handler is installed.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    private let readEnd: Int32

    init(control: CheckoutControl, output: Output) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            // No pipe: Ctrl-C keeps its default meaning (the order is settled at the next start).
            readEnd = -1
            return
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }  // not inherited by anything started
        readEnd = ends[0]
        Interrupts.writeEnd = ends[1]
        signal(SIGINT) { _ in
            var byte: UInt8 = 1
            _ = write(Interrupts.writeEnd, &byte, 1)
        }
        let readEnd = self.readEnd
        let thread = Thread {
            var presses = 0
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1 else { break }
                presses += 1
                if presses == 1 {
                    output.progress(output.words("cli.interrupt.cancelling"))
                    control.requestCancel()
                } else {
                    output.progress(output.words("cli.interrupt.left_open"))
                    Foundation.exit(ExitStatus.attention.rawValue)
                }
            }
            close(readEnd)
        }
        thread.name = "shroff.interrupts"
        thread.start()
    }

    deinit {
        signal(SIGINT, SIG_DFL)
        guard readEnd >= 0 else { return }
        // End of file wakes the thread, which closes its end and ends.
        close(Interrupts.writeEnd)
        Interrupts.writeEnd = -1
    }
}
