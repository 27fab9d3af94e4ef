import Prometheus

/// What the notify server counts, served in Prometheus' text format on its own listener
/// (`[notify] metrics`), never on the gateways' address: the numbers tell a stranger how much
/// the shop sells.
///
/// Labels take only values the server chose (a served gateway's name, an outcome): a request
/// naming anything else cannot grow the set of series.
public final class NotifyMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let busy: Counter
    private let ledgerErrors: Counter

    public init() {
        busy = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "shroff", metricName: "notifications_busy", unitName: "total",
            helpText: "Requests answered 503 because max_concurrent were in hand (the gateway sends them again)."))
        ledgerErrors = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "shroff", metricName: "ledger_errors", unitName: "total",
            helpText: "Ledger reads and writes that failed; each notification concerned was answered so that the gateway sends it again."))
    }

    /// The text `/metrics` answers.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    func turnedAway() { busy.increment() }

    func ledgerFailed() { ledgerErrors.increment() }

    /// One notification handled: its outcome, and how long it took from its whole body to its answer.
    func handled(gateway: String, outcome: NotificationReceiver.Outcome, in duration: Duration) {
        registry.makeCounter(descriptor: Self.notifications, labels: [("gateway", gateway), ("outcome", outcome.label)]).increment()
        registry.makeDurationHistogram(descriptor: Self.handling, labels: [("gateway", gateway)], buckets: Self.buckets).record(duration)
    }

    private static var notifications: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "shroff", metricName: "notifications", unitName: "total",
                             helpText: "Notifications handled, by gateway and outcome (applied, ignored, refused, malformed, forged, failed).")
    }
    private static var handling: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "shroff", metricName: "notification_handling", unitName: "seconds",
                             helpText: "Time from a notification's whole body to its answer: verifying, the ledger's transaction, and any question to the gateway.")
    }
    private static let buckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                              .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10)]
}

extension NotificationReceiver.Outcome {
    /// The outcome's name in the metrics, without its reason.
    var label: String {
        switch self {
        case .applied: "applied"
        case .refused: "refused"
        case .malformed: "malformed"
        case .forged: "forged"
        case .ignored: "ignored"
        case .failed: "failed"
        }
    }
}
