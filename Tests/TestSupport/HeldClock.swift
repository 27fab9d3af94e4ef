import CheckoutCore

/// A clock whose waits never end by themselves: only a cancel (the cashier, or the ledger's
/// watcher seeing a notification) ends them. Its time is the real monotonic time.
public enum HeldClock {
    public static let checkoutClock = CheckoutClock(Held())

    struct Held: Clock {
        var now: ContinuousClock.Instant { ContinuousClock.now }
        var minimumResolution: Duration { .nanoseconds(1) }
        func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {
            // Far beyond any test's time limit: the wait is always cut short by a cancel.
            try await Task.sleep(for: .seconds(3600))
        }
    }
}
