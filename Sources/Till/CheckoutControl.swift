import CheckoutCore
import Synchronization

/// Lets the cashier stop a checkout that is waiting (Esc on the till, Ctrl-C on the command line).
///
/// A request already on the wire is never abandoned: the cancel takes effect at the next wait,
/// where the checkout cancels or closes the order at the gateway.
public final class CheckoutControl: Sendable {
    private struct State {
        var requested = false
        /// The cancel clears away an order left by a till that ended, rather than the cashier's.
        var leftOver = false
        var delivered = false
        /// The ledger has news for the waiting checkout; the current (or next) wait ends at once.
        var interrupted = false
        var sleeper: Task<Void, any Error>?
    }
    private let state = Mutex(State())

    public init() {}

    /// Asks the checkout to stop waiting and cancel the order. Safe from any thread.
    /// `leftOver`: the order was left by a till that ended and is cleared before a new sale.
    public func requestCancel(leftOver: Bool = false) {
        let sleeper = state.withLock { state -> Task<Void, any Error>? in
            state.requested = true
            state.leftOver = leftOver
            return state.sleeper
        }
        sleeper?.cancel()
    }

    public var cancelRequested: Bool { state.withLock { $0.requested } }

    /// The event a delivered cancel stands for.
    func cancelEvent(at elapsed: Duration) -> Checkout.Event {
        state.withLock { $0.leftOver } ? .leftOverCancelled(at: elapsed) : .cashierCancelled(at: elapsed)
    }

    /// Ends the current wait early, without cancelling: a notification reached the ledger.
    func interruptWait() {
        let sleeper = state.withLock { state -> Task<Void, any Error>? in
            state.interrupted = true
            return state.sleeper
        }
        sleeper?.cancel()
    }

    /// True once, the first time it is asked after a cancel was requested.
    func takeCancel() -> Bool {
        state.withLock { state in
            guard state.requested, !state.delivered else { return false }
            state.delivered = true
            return true
        }
    }

    /// Waits `duration` on `sleep`, or less if the cashier cancels (or the calling task is
    /// cancelled). Returns false when cut short.
    func wait(_ duration: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async -> Bool {
        let task = Task { try await sleep(duration) }
        let alreadyCancelled = state.withLock { state -> Bool in
            state.sleeper = task
            defer { state.interrupted = false }
            return (state.requested && !state.delivered) || state.interrupted
        }
        if alreadyCancelled { task.cancel() }
        let completed = await withTaskCancellationHandler {
            (try? await task.value) != nil
        } onCancel: {
            task.cancel()
        }
        state.withLock { state in
            state.sleeper = nil
            state.interrupted = false
        }
        return completed
    }
}
