/// The time the checkout runs on: a monotonic reading and a way to wait.
///
/// Wraps any `Clock<Duration>` so the till runs on `ContinuousClock` and tests on a clock they
/// step by hand; nothing in the checkout reads the system clock itself.
public struct CheckoutClock: Sendable {
    /// Time since an arbitrary origin, never going back.
    public let now: @Sendable () -> Duration
    /// Waits `duration`; throws `CancellationError` when the task is cancelled.
    public let sleep: @Sendable (Duration) async throws -> Void

    public init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
    }

    public static let continuous = CheckoutClock(ContinuousClock())
}
