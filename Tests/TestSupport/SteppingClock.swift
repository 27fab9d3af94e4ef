import CheckoutCore
import Synchronization

/// A clock for tests whose time moves only when something sleeps on it: `sleep` jumps the
/// clock to the wake-up time and returns at once. A polling loop that would take 45 s runs
/// in microseconds, and the test reads exactly when each step happened.
///
/// Shared between a till and an in-process sandbox, it gives both the same idea of "now".
public final class SteppingClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Duration.zero)
    private let sleeps = Mutex([Duration]())

    public init() {}

    public var now: Instant { Instant(offset: current.withLock { $0 }) }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// How long each sleep asked for, in order.
    public var sleepsTaken: [Duration] { sleeps.withLock { $0 } }

    /// Moves time forward without anyone sleeping (a customer taking their time).
    public func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let slept = current.withLock { now -> Duration in
            let step = max(.zero, deadline.offset - now)
            now = max(now, deadline.offset)
            return step
        }
        sleeps.withLock { $0.append(slept) }
        await Task.yield()
    }

    public var checkoutClock: CheckoutClock { CheckoutClock(self) }
}
