import CheckoutCore
import Foundation
import Ledger

extension CheckoutRunner {
    /// Performs the machine's actions until it finishes.
    func drive(_ initial: Order, first: Checkout.Event, isNew: Bool, payRequest: BarcodePayRequest?,
               control: CheckoutControl, progress: @escaping @Sendable (CheckoutProgress) -> Void) async throws(TillError) -> CheckoutReport {
        var order = initial
        let gateway = try gateway(for: order)
        guard driving.withLock({ $0.insert(order.id).inserted }) else { throw .inProgressElsewhere(order.id) }
        defer { driving.withLock { _ = $0.remove(order.id) } }
        if !isNew {
            let claimed: Bool
            do { claimed = try ledger.claim(order.id, at: wallClock()) } catch { throw .ledger(error) }
            guard claimed else { throw .inProgressElsewhere(order.id) }
            // Read afresh: another shroff (or a notification) may have settled it since it was listed.
            let fresh: Order?
            do { fresh = try ledger.order(order.id) } catch { throw .ledger(error) }
            guard let fresh else { throw .orderNotFound(order.id) }
            guard !fresh.status.isFinal else {
                throw .notApplicable(.alreadySettled(fresh.id, fresh.status))
            }
            order = fresh
        }
        var checkout = Checkout(method: order.method, amount: order.amount, policy: policy,
                                abilities: CheckoutAbilities(gateway.capabilities, method: order.method))
        var recorded = !isNew
        var problems: [String] = []
        var reference = OrderReference(order)
        // A resumed order's deadline counts from when it was created, not from now.
        let origin = clock.now() - (isNew ? .zero : Self.duration(wallClock().timeIntervalSince(order.createdAt)))
        let elapsed = { [clock] in clock.now() - origin }

        var queue = checkout.handle(first)
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .record(let status, let note, let tradeID):
                if !recorded {
                    do { try ledger.insert(order) } catch { throw .notRecorded(error) }
                    recorded = true
                    progress(.recorded(order.id))
                } else {
                    do {
                        order = try ledger.updateOrder(order.id, status: status, gatewayTradeID: tradeID,
                                                       reason: status == .pending ? note : (status == .paid ? nil : note), at: wallClock())
                        reference.gatewayTradeID = order.gatewayTradeID
                    } catch .orderIsFinal(_, let current, _) where status == .pending {
                        // A notification settled it while the till was busy: that is its answer.
                        // (Only a `pending` note is followed by more work; a final record ends
                        // the checkout, so a clash there is flagged below.)
                        if let verdict = notified(order.id) {
                            queue = checkout.handle(.notified(verdict, at: elapsed()))
                            continue
                        }
                        problems.append("the ledger already has the order \(current.rawValue)")
                    } catch .orderIsFinal(_, let current, let requested) {
                        // The gateway told the till one ending, a notification the ledger another:
                        // the ledger keeps its word, and the order is flagged for a person.
                        let flag = "the till ended it \(requested.rawValue) but the ledger already had it \(current.rawValue) (from the gateway's notification): check the order with the gateway"
                        try? ledger.flag(order.id, attention: flag, at: wallClock())
                        problems.append(flag)
                        logger.error("ledger and till disagree", metadata: ["order": "\(order.id)", "ledger": "\(current.rawValue)", "till": "\(requested.rawValue)"])
                    } catch {
                        problems.append(error.description)
                        logger.error("ledger write failed", metadata: ["order": "\(order.id)", "error": "\(error)"])
                    }
                }
            case .sendPay:
                guard let payRequest else { preconditionFailure("a resumed order never pays again") }
                let verdict = await attempt(.pay, order: order.id, progress: progress, problems: &problems) { await gateway.pay(payRequest) }
                queue += checkout.handle(.payAnswered(verdict, at: elapsed()))
            case .sendCreateQR:
                let request = QRPayRequest(orderID: order.id, amount: order.amount, subject: order.subject, wallet: order.wallet)
                let creation = await attempt(.createQRCode, order: order.id, progress: progress, problems: &problems) { await gateway.createQR(request) }
                queue += checkout.handle(.qrAnswered(creation, at: elapsed()))
            case .showQR(let payload):
                // Before the credential: a front end that cannot draw it has its link at hand.
                if let link = issuePayLink(order, credential: payload, deadline: checkout.deadline) { progress(.payLink(link)) }
                progress(.showQR(payload))
            case .sendQuery:
                let verdict = await attempt(.query, order: order.id, progress: progress, problems: &problems) { await gateway.query(reference) }
                queue += checkout.handle(.queryAnswered(verdict, at: elapsed()))
            case .sendSettle:
                let operation: GatewayOperation = order.method == .scan ? .cancel : .close
                let verdict = await attempt(operation, order: order.id, progress: progress, problems: &problems) {
                    order.method == .scan ? await gateway.cancel(reference) : await gateway.close(reference)
                }
                queue += checkout.handle(.settleAnswered(verdict, at: elapsed()))
            case .wait(let duration):
                if let verdict = notified(order.id) {
                    queue += checkout.handle(.notified(verdict, at: elapsed()))
                    continue
                }
                if control.takeCancel() {
                    let reaction = checkout.handle(control.cancelEvent(at: elapsed()))
                    if !reaction.isEmpty { queue += reaction; continue }
                }
                progress(waitingProgress(checkout, order: order, gateway: gateway, elapsed: elapsed()))
                let completed = await watchingLedger(order.id, control: control) {
                    await control.wait(duration, sleep: clock.sleep)
                }
                if let verdict = notified(order.id) {
                    queue += checkout.handle(.notified(verdict, at: elapsed()))
                    continue
                }
                // A cancelled task is treated as the cashier's cancel: the order is settled, not abandoned.
                if !completed, control.takeCancel() || Task.isCancelled {
                    let reaction = checkout.handle(control.cancelEvent(at: elapsed()))
                    if !reaction.isEmpty { queue += reaction; continue }
                }
                queue += checkout.handle(.waited(at: elapsed()))
            case .finish(let result):
                progress(.finished(result))
                return CheckoutReport(order: order, result: result, ledgerProblems: problems)
            }
        }
        preconditionFailure("the checkout stopped without finishing")
    }

    /// A short link to `credential`, written down with it, usable until the QR order's deadline
    /// (`deadline` after the order was made, as the checkout counts it); nil without a public
    /// address, for a credential a link cannot carry (a wallet's own code, anything but a form or
    /// a web address), past the deadline, or when the token cannot be made or recorded (the
    /// screen then says the code cannot be shown, and the order runs on for a customer who can pay it).
    func issuePayLink(_ order: Order, credential: String, deadline: Duration) -> String? {
        guard let payLinks, PayLink.canCarry(credential) else { return nil }
        let now = wallClock()
        let expires = order.createdAt.addingTimeInterval(deadline / .seconds(1))
        guard expires > now else { return nil }
        do {
            let token = try payLinks.makeToken()
            try ledger.recordPayLink(token: token, order: order.id, credential: credential, expiresAt: expires, at: now)
            return PayLink.url(publicURL: payLinks.publicURL, token: token)
        } catch {
            logger.error("no pay link for the QR code", metadata: ["order": "\(order.id)", "error": "\(error)"])
            return nil
        }
    }

    /// What the screen shows while the checkout waits. A gateway that cannot be asked is
    /// waited on through the ledger alone, so the count is of the notifications it holds.
    func waitingProgress(_ checkout: Checkout, order: Order, gateway: any PaymentGateway, elapsed: Duration) -> CheckoutProgress {
        guard !checkout.abilities.query else {
            return .waiting(reason: checkout.lastDoubt.map(WaitReason.doubt) ?? (order.method == .qr ? .customerScanning : .confirming),
                            elapsed: elapsed, deadline: checkout.deadline, queries: checkout.queriesSent)
        }
        let received = (try? ledger.events(for: order.id).filter { $0.kind == .notification }.count) ?? 0
        return .waiting(reason: checkout.lastDoubt.map(WaitReason.doubt) ?? .notification(gateway: gateway.displayName),
                        elapsed: elapsed, deadline: checkout.deadline, queries: checkout.queriesSent, notifications: received)
    }

    /// What the ledger says of an order the checkout is waiting on, when a notification made it
    /// final: only the receiver writes a final status while its owner waits.
    func notified(_ id: OrderID) -> PaymentVerdict? {
        guard let current = try? ledger.order(id) else { return nil }
        switch current.status {
        case .paid:
            guard let trade = current.gatewayTradeID else { return nil }
            return .paid(PaymentConfirmation(gatewayTradeID: trade, amount: current.amount, received: current.received))
        case .declined:
            // Declined with money received: the notification said underpaid.
            if let received = current.received, let trade = current.gatewayTradeID {
                return .underpaid(PaymentConfirmation(gatewayTradeID: trade, amount: current.amount, received: received))
            }
            return .declined(Decline(.paymentFailed, gatewayMessage: current.statusReason ?? "declined by notification"))
        case .pending, .unknown, .cancelled, .expired:
            return nil
        }
    }

    /// Runs `wait` while watching the ledger for a notification that settles the order, which
    /// cuts the wait short. The ledger's news (`Ledger.news(of:)`) says when to look at the row;
    /// until it says it is listening, and whenever it says it is not (SQLite always; PostgreSQL
    /// while its listening connection is down), the row is read every `watchInterval` instead.
    /// While it listens, the row is still read every `quietIntervals` intervals: a link dropped
    /// without a word (a NAT or Wi-Fi forgetting the connection) would otherwise leave the till
    /// waiting out its deadline on an order the customer has paid.
    func watchingLedger(_ id: OrderID, control: CheckoutControl, _ wait: () async -> Bool) async -> Bool {
        let news = ledger.news(of: id)
        let watcher = Task { [watchClock, watchInterval] in
            let (looks, look) = AsyncStream.makeStream(of: LedgerLook.self)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in news { look.yield(.news(item)) }
                    look.yield(.newsEnded)
                }
                group.addTask {
                    while (try? await watchClock.sleep(watchInterval)) != nil { look.yield(.interval) }
                }
                var watchingRow = true
                var quiet = 0
                for await item in looks {
                    var readNow = true
                    switch item {
                    case .news(.listening): watchingRow = false
                    case .news(.changed): quiet = 0
                    case .news(.notListening), .newsEnded:
                        watchingRow = true
                        readNow = false
                    case .interval:
                        quiet += 1
                        readNow = watchingRow || quiet >= Self.quietIntervals
                    }
                    if readNow { quiet = 0 }
                    if readNow, await settledByNotification(id) {
                        control.interruptWait()
                        break
                    }
                }
                group.cancelAll()
            }
        }
        let completed = await wait()
        // Waited for, not only cancelled: no look at the ledger may outlive the checkout (its
        // owner may close the ledger the moment the checkout returns).
        watcher.cancel()
        await watcher.value
        return completed
    }

    /// How many `watchInterval`s a listening till lets pass without news before it reads the
    /// row anyway (2 s at the default 100 ms).
    static let quietIntervals = 20

    /// True when a notification made the order final; read off the cooperative pool, since a
    /// ledger call blocks its thread until the database answers.
    private func settledByNotification(_ id: OrderID) async -> Bool {
        (try? await watchQueue.run { self.notified(id) != nil }) ?? false
    }

    /// Sends one request and writes down what came back.
    func attempt<Answer: Sendable>(_ operation: GatewayOperation, order: OrderID, refund: RefundID? = nil,
                                   progress: @Sendable (CheckoutProgress) -> Void, problems: inout [String],
                                   _ send: () async -> Answer) async -> Answer {
        progress(.sending(operation.rawValue))
        // Written before the request leaves, completed after: a crash leaves a trace of a request that may have arrived.
        var record = GatewayAttempt(orderID: order, operation: operation, refundID: refund, startedAt: wallClock(), outcome: "sent, no answer yet")
        do { try ledger.recordAttempt(record) } catch { problems.append(error.description) }
        let answer = await send()
        record.finishedAt = wallClock()
        record.outcome = Self.describe(answer)
        do { try ledger.recordAttempt(record) } catch { problems.append(error.description) }
        return answer
    }

    /// Words for any gateway answer in the ledger's attempt log.
    static func describe(_ answer: some Sendable) -> String {
        switch answer {
        case let verdict as PaymentVerdict: verdict.logWords
        case let creation as QRCreation:
            if case .failed(let verdict) = creation { "not created: " + verdict.logWords } else { "QR created" }
        case let verdict as CancelVerdict:
            switch verdict {
            case .cancelled: "cancelled"
            case .alreadyPaid: "refused: already paid"
            case .failed(let why): "failed: \(why)"
            case .rejected(let problem): "refused: \(problem.code) \(problem.message)"
            }
        case let verdict as RefundVerdict:
            switch verdict {
            case .refunded(let id): "refunded (\(id))"
            case .declined(let why): "declined: \(why)"
            case .inDoubt(let why): "in doubt: \(why)"
            case .rejected(let problem): "refused: \(problem.code) \(problem.message)"
            case .processing(let id, let url): "processing (\(id))" + (url.map { ", to be confirmed by the owner at \($0)" } ?? "")
            }
        default: "answered"
        }
    }

    static func duration(_ interval: TimeInterval) -> Duration {
        .milliseconds(Int64(max(0, interval) * 1000))
    }
}

/// What makes a waiting checkout look at its order's row.
enum LedgerLook: Sendable {
    case news(OrderNews)
    /// The ledger will say no more: it never announces, or it closed.
    case newsEnded
    /// `watchInterval` passed.
    case interval
}
