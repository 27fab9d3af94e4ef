import CheckoutCore

/// Runs a `Checkout` to its end the way the till does, against scripted gateway answers and
/// virtual time: a `wait` moves the time forward, nothing sleeps.
struct CheckoutDriver {
    var checkout: Checkout
    var time: Duration = .zero
    /// Every action with the time it was taken, in order.
    var trace: [(at: Duration, action: Checkout.Action)] = []

    var pay: () -> PaymentVerdict = { .paid(CheckoutDriver.confirmation(1230)) }
    var createQR: () -> QRCreation = { .created(payload: "weixin://wxpay/bizpayurl?pr=abc") }
    /// The answer to a query asked at a given time.
    var query: (Duration) -> PaymentVerdict = { _ in .notPaid }
    /// The answer to the n-th cancel or close (1-based).
    var settle: (Int) -> CancelVerdict = { _ in .cancelled }
    /// When the cashier presses Esc, if ever.
    var cashierCancelsAt: Duration?
    /// How long each request takes on the wire.
    var latency: Duration = .milliseconds(100)
    /// When the receiver applies a notification to the ledger, and what it says.
    var notification: (at: Duration, verdict: PaymentVerdict)?

    init(_ method: PaymentMethod, amount: Int64 = 1230, policy: CheckoutPolicy = CheckoutPolicy(),
         abilities: CheckoutAbilities = .all) {
        checkout = Checkout(method: method, amount: Money(minorUnits: amount, currency: .hkd), policy: policy, abilities: abilities)
    }

    static func confirmation(_ minor: Int64) -> PaymentConfirmation {
        PaymentConfirmation(gatewayTradeID: "1000201711291233", amount: Money(minorUnits: minor, currency: .hkd))
    }

    /// Drives from `start` (or `resume`) to `finish`; returns the result.
    @discardableResult
    mutating func run(from first: Checkout.Event = .start) -> CheckoutResult? {
        var pending: [Checkout.Action] = perform(first)
        var settles = 0
        var steps = 0
        while !pending.isEmpty, steps < 1000 {
            steps += 1
            let action = pending.removeFirst()
            switch action {
            case .record, .showQR:
                continue
            case .finish(let result):
                return result
            case .sendPay:
                time += latency
                pending += perform(.payAnswered(pay(), at: time))
            case .sendCreateQR:
                time += latency
                pending += perform(.qrAnswered(createQR(), at: time))
            case .sendQuery:
                time += latency
                pending += perform(.queryAnswered(query(time), at: time))
            case .sendSettle:
                settles += 1
                time += latency
                pending += perform(.settleAnswered(settle(settles), at: time))
            case .wait(let duration):
                if let cancelAt = cashierCancelsAt, cancelAt <= time + duration {
                    time = max(time, cancelAt)
                    cashierCancelsAt = nil
                    let reaction = perform(.cashierCancelled(at: time))
                    if !reaction.isEmpty { pending += reaction; continue }
                }
                if let notified = notification, notified.at <= time + duration {
                    time = max(time, notified.at)
                    notification = nil
                    pending += perform(.notified(notified.verdict, at: time))
                    continue
                }
                time += duration
                pending += perform(.waited(at: time))
            }
        }
        return nil
    }

    mutating func perform(_ event: Checkout.Event) -> [Checkout.Action] {
        let actions = checkout.handle(event)
        trace += actions.map { (time, $0) }
        return actions
    }

    var actions: [Checkout.Action] { trace.map(\.action) }
    func times(of wanted: Checkout.Action) -> [Duration] { trace.filter { $0.action == wanted }.map(\.at) }
    var queryTimes: [Duration] { times(of: .sendQuery) }
}
