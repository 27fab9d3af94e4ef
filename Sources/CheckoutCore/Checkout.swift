/// One payment from request to final answer, as a value: events in, actions out.
///
/// The same machine drives a scanned payment (`pospay`, then queries, then a cancel) and a QR
/// order (`create-qrcode`, then queries, then a close). It does no I/O and reads no clock: the
/// code that runs it performs each action and feeds back what happened, with the time elapsed
/// since the checkout started. Rules it keeps:
/// - the order is recorded before any request leaves (`record` comes before `send…`);
/// - only a `paid` verdict for the order's exact amount ends it paid; an `underpaid` one ends
///   it `underpaid` (not paid), never a wait;
/// - anything unclear is asked again with the same order number, never paid again;
/// - past the deadline the order is cancelled or closed; if that cannot be done it ends `unknown`;
/// - a notification the ledger applied (`notified`) counts as a verified query answer.
///
/// Valid transitions (any other event in a phase is a bug in the runner and stops it):
/// - `ready`: `start` → `requesting`; `resume` → `waiting` (a query is sent).
/// - `requesting`: `payAnswered` (scan) or `qrAnswered` (QR) → `waiting`, `settling` or
///   `finished`; `cashierCancelled` is remembered until the answer is in; `notified` ends it.
/// - `waiting`: `waited` → a query, or `settling` past the deadline; `queryAnswered` and
///   `notified` → `finished` when final, else another wait; `cashierCancelled` and
///   `leftOverCancelled` → `settling`.
/// - `settling`: `settleAnswered` → `finished`, `confirming`, or a retry after a wait;
///   `waited` → the retry; `notified` paid → `finished`; a second `cashierCancelled` is ignored.
/// - `confirming`: `queryAnswered` or `notified` → `finished`; without a query (the gateway
///   said "already paid" and only its notification can confirm it) `waited` → another wait,
///   or `finished` unknown once `policy.notificationGrace` has passed.
/// - `finished`: every event is a late one and is ignored.
public struct Checkout: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case ready
        /// `pospay` or `create-qrcode` is on the wire.
        case requesting
        /// Waiting between queries for a final answer (the customer confirming, or scanning the QR).
        case waiting
        /// Cancelling (scan) or closing (QR) the order at the gateway.
        case settling
        /// The gateway said the order is paid when asked to cancel it: confirming with a query.
        case confirming
        case finished(CheckoutResult)
    }

    public enum Event: Sendable, Equatable {
        /// Begin a new checkout; the order is already built and about to be recorded.
        case start
        /// Take over an order a crash or power cut left pending, `elapsed` after it was created.
        case resume
        case payAnswered(PaymentVerdict, at: Duration)
        case qrAnswered(QRCreation, at: Duration)
        case queryAnswered(PaymentVerdict, at: Duration)
        case settleAnswered(CancelVerdict, at: Duration)
        /// The wait asked for by the last `wait` action is over.
        case waited(at: Duration)
        /// The cashier pressed cancel (Esc): stop waiting and cancel or close the order.
        case cashierCancelled(at: Duration)
        /// A resumed order left by a till that ended is cleared away before a new sale: like
        /// the cashier's cancel, in other words.
        case leftOverCancelled(at: Duration)
        /// The ledger holds a verified notification's answer for this order (written by the
        /// receiver, maybe in another process). Treated like a verified query answer.
        case notified(PaymentVerdict, at: Duration)
    }

    public enum Action: Sendable, Equatable {
        /// Write the order's status to the ledger, before anything that follows, with the
        /// gateway's own number for the order when an answer just gave it.
        case record(OrderStatus, note: String, gatewayOrderID: String? = nil)
        case sendPay
        case sendCreateQR
        /// Draw this payload as a QR code for the customer.
        case showQR(String)
        case sendQuery
        /// Cancel (scan) or close (QR) the order at the gateway.
        case sendSettle
        case wait(Duration)
        case finish(CheckoutResult)
    }

    public let method: PaymentMethod
    public let amount: Money
    public let policy: CheckoutPolicy
    public let abilities: CheckoutAbilities
    public private(set) var phase: Phase = .ready
    public private(set) var queriesSent = 0
    public private(set) var settlesSent = 0
    /// Why the order is not settled yet, for the screen and for an `unknown` ending.
    public private(set) var lastDoubt: Doubt?
    private var settleReason: SettleReason?
    private var cancelRequested = false
    /// When the gateway said "already paid" to a checkout that cannot query: the wait for the
    /// notification is counted from here.
    private var confirmingSince: Duration?

    enum SettleReason: Sendable, Equatable {
        case timedOut, cashier, leftOver, creationFailed(Doubt)
    }

    public init(method: PaymentMethod, amount: Money, policy: CheckoutPolicy, abilities: CheckoutAbilities = .all) {
        self.method = method
        self.amount = amount
        self.policy = policy
        self.abilities = abilities
    }

    /// How long the customer has: `payTimeout` for a scan, `qrTimeout` for a QR order.
    public var deadline: Duration { method == .scan ? policy.payTimeout : policy.qrTimeout }

    public mutating func handle(_ event: Event) -> [Action] {
        switch (phase, event) {
        case (.ready, .start):
            phase = .requesting
            return method == .scan
                ? [.record(.pending, note: "charging the payment code"), .sendPay]
                : [.record(.pending, note: "creating the QR order"), .sendCreateQR]

        case (.ready, .resume):
            phase = .waiting
            guard abilities.query else {
                return [.record(.pending, note: "resuming an order left pending: waiting for its notification"), .wait(.zero)]
            }
            queriesSent += 1
            return [.record(.pending, note: "resuming an order left pending"), .sendQuery]

        case (.requesting, .payAnswered(let verdict, let at)) where method == .scan:
            if case .rejected(let problem) = verdict { return finish(.rejected(problem)) }
            return judge(verdict, at: at)

        case (.requesting, .qrAnswered(let creation, let at)) where method == .qr:
            switch creation {
            case .created(let payload, let gatewayOrderID):
                phase = .waiting
                let known: [Action] = gatewayOrderID.map { [.record(.pending, note: "QR order created", gatewayOrderID: $0)] } ?? []
                if cancelRequested { return known + settle(.cashier) }
                return known + [.showQR(payload), .wait(nextWait(at: at))]
            case .failed(.declined(let decline)):
                return finish(.declined(decline))
            case .failed(.rejected(let problem)):
                return finish(.rejected(problem))
            case .failed(let verdict):
                // Nobody has the code, but the order may exist at the gateway: close it.
                return settle(.creationFailed(verdict.doubt ?? .notSent))
            }

        case (.waiting, .waited(let at)):
            if at >= deadline { return settle(.timedOut) }
            guard abilities.query else { return [.wait(nextWait(at: at))] }
            queriesSent += 1
            return [.sendQuery]

        case (.waiting, .queryAnswered(let verdict, let at)):
            return judge(verdict, at: at)

        case (.requesting, .cashierCancelled):
            // A request on the wire cannot be recalled: act once its answer is in.
            cancelRequested = true
            return []

        case (.waiting, .cashierCancelled):
            return settle(.cashier)

        case (.waiting, .leftOverCancelled):
            return settle(.leftOver)

        case (.settling, .settleAnswered(let verdict, let at)):
            switch verdict {
            case .cancelled:
                switch settleReason {
                case .timedOut where method == .qr: return finish(.expired(closed: true))
                case .timedOut: return finish(.cancelled(.timedOut(seconds: Checkout.seconds(deadline))))
                case .cashier: return finish(.cancelled(.cashier))
                case .leftOver: return finish(.cancelled(.leftOver))
                case .creationFailed(let why): return finish(.cancelled(.creationFailed(why)))
                case nil: return finish(.cancelled(.unspecified))
                }
            case .alreadyPaid:
                phase = .confirming
                guard abilities.query else {
                    // Not paid on the gateway's unsigned word: only its signed notification says so.
                    confirmingSince = at
                    lastDoubt = .saysPaid
                    return [.record(.pending, note: Doubt.saysPaid.description), .wait(policy.pollInterval)]
                }
                queriesSent += 1
                return [.sendQuery]
            case .failed(let why):
                lastDoubt = .noClearAnswer(why)
                guard settlesSent < policy.settleAttempts else {
                    return finish(.unknown(.notSettled(settling, why: why)))
                }
                return [.wait(policy.settleRetryInterval)]
            case .rejected(let problem):
                return finish(.unknown(.settleRefused(settling, problem)))
            }

        case (.settling, .waited):
            settlesSent += 1
            return [.sendSettle]

        case (.confirming, .waited(let at)) where !abilities.query:
            let since = confirmingSince ?? at
            guard at - since < policy.notificationGrace else {
                return finish(.unknown(.paidUnconfirmed(settling, seconds: Checkout.seconds(policy.notificationGrace))))
            }
            return [.wait(min(policy.pollInterval, policy.notificationGrace - (at - since)))]

        case (.confirming, .queryAnswered(let verdict, _)):
            if case .paid(let confirmation) = verdict { return paid(confirmation) }
            return finish(.unknown(.paidThenDoubted(settling, verdict.doubt ?? .notSent)))

        case (.requesting, .notified(let verdict, let at)), (.waiting, .notified(let verdict, let at)):
            return judge(verdict, at: at)

        case (.settling, .notified(let verdict, _)), (.confirming, .notified(let verdict, _)):
            // A final word ends a settle in progress (the ledger already holds it); anything
            // else waits for the settle's own answer.
            switch verdict {
            case .paid(let confirmation): return paid(confirmation)
            case .underpaid(let confirmation): return underpaid(confirmation)
            case .declined(let decline): return finish(.declined(decline))
            default:
                if phase == .settling { return [.wait(policy.settleRetryInterval)] }
                // Confirming on a query: its answer decides. Without one, wait on for the notification.
                return abilities.query ? [] : [.wait(policy.pollInterval)]
            }

        // Late events, ignored by name: the cashier pressing Esc twice, or anything after the end.
        case (.settling, .cashierCancelled), (.confirming, .cashierCancelled),
             (.settling, .leftOverCancelled), (.confirming, .leftOverCancelled):
            return []
        case (.finished, _):
            return []

        case (.ready, _), (.requesting, _), (.waiting, _), (.settling, _), (.confirming, _):
            // The runner performs one action at a time, so an answer can only follow its request.
            preconditionFailure("checkout: \(event) cannot happen while \(phase)")
        }
    }

    private var settling: Settling { Settling(method) }

    /// What a non-final answer means for the wait; final answers end the checkout.
    private mutating func judge(_ verdict: PaymentVerdict, at: Duration) -> [Action] {
        switch verdict {
        case .paid(let confirmation):
            return paid(confirmation)
        case .underpaid(let confirmation):
            return underpaid(confirmation)
        case .declined(let decline):
            return finish(.declined(decline))
        case .userPaying, .notPaid, .notFound, .inDoubt, .rejected:
            let wasRequesting = phase == .requesting
            lastDoubt = verdict.doubt
            phase = .waiting
            if cancelRequested { return settle(.cashier) }
            if at >= deadline { return settle(.timedOut) }
            let wait = Action.wait(nextWait(at: at))
            return wasRequesting ? [.record(.pending, note: verdict.cashierWords), wait] : [wait]
        }
    }

    private mutating func paid(_ confirmation: PaymentConfirmation) -> [Action] {
        guard confirmation.amount == amount else {
            return finish(.unknown(.amountMismatch(reported: confirmation.amount, ordered: amount)))
        }
        return finish(.paid(confirmation))
    }

    /// Money came in short: final, and never paid. A price other than the order's is no word
    /// about this order at all, as for `paid`.
    private mutating func underpaid(_ confirmation: PaymentConfirmation) -> [Action] {
        guard confirmation.amount == amount else {
            return finish(.unknown(.underpaidMismatch(received: confirmation.received, reported: confirmation.amount, ordered: amount)))
        }
        return finish(.underpaid(confirmation))
    }

    private mutating func settle(_ reason: SettleReason) -> [Action] {
        guard abilities.settle else { return giveUpAtTheTill(reason) }
        phase = .settling
        settleReason = reason
        settlesSent = 1
        let why: String = switch reason {
        case .timedOut: "no final answer in time"
        case .cashier: "the cashier cancelled"
        case .leftOver: "left open by a till that stopped"
        case .creationFailed(let detail): "the QR order could not be created: \(detail)"
        }
        return [.record(.pending, note: "\(method == .scan ? "cancelling" : "closing"): \(why)"), .sendSettle]
    }

    /// No cancel or close at this gateway: the till stops waiting, but the order is not closed
    /// anywhere, so a payment may still come. A QR order ends `expired` (a late paid
    /// notification is then flagged); a scanned payment, whose customer may be paying, `unknown`.
    private mutating func giveUpAtTheTill(_ reason: SettleReason) -> [Action] {
        if method == .qr {
            switch reason {
            case .timedOut, .cashier, .leftOver: return finish(.expired(closed: false))
            case .creationFailed(let doubt): return finish(.unknown(.notCreatedNorClosable(doubt)))
            }
        }
        return finish(.unknown(.cannotCancel(lastDoubt)))
    }

    private mutating func finish(_ result: CheckoutResult) -> [Action] {
        phase = .finished(result)
        let tradeID: String? = switch result {
        case .paid(let confirmation), .underpaid(let confirmation): confirmation.gatewayTradeID
        case .declined, .rejected, .cancelled, .expired, .unknown: nil
        }
        return [.record(result.orderStatus, note: result.summary, gatewayOrderID: tradeID), .finish(result)]
    }

    private func nextWait(at: Duration) -> Duration {
        min(policy.pollInterval, max(.zero, deadline - at))
    }

    static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds }
}
