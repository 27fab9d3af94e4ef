import CheckoutCore
import Foundation
import Ledger
import SQLiteLedger
import Testing

/// Who runs an open order, or sends an unsettled refund, when several processes share one ledger file. Two `Ledger` instances
/// on one file stand for two processes: each takes its own `OwnerLease`, an exclusive `flock`
/// on a file of its own in `<ledger>.owners/`, and `flock` locks belong to the open file, so
/// one instance is refused the other's lock exactly as another process would be.
@Suite("Ledger: order and refund ownership across processes")
struct LedgerOwnershipTests {
    private func orderID(_ round: Int, _ number: Int) throws -> OrderID {
        try OrderID(String(format: "S250615R%03dN%03d", round, number))
    }

    /// The state a till killed with SIGKILL leaves behind: its lease file still in the folder,
    /// but no process holding the lock on it. `close()` gives the lock up (and removes the
    /// file); putting an empty, unlocked file back under the same name is that state exactly.
    private func leaveLeaseAsACrashWould(_ ledger: SQLiteLedger, path: String) throws -> String {
        let id = try #require(ledger.ownerID)
        try ledger.close()
        let file = "\(path).owners/\(id).lease"
        #expect(FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600]))
        return id
    }

    /// Two `Ledger`s on one new file, as two processes would hold it (each with its own lease);
    /// both closed at the end (closing twice is harmless).
    private func withTwoProcesses(_ body: (_ path: String, _ a: SQLiteLedger, _ b: SQLiteLedger) throws -> Void) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let a = try SQLiteLedger(path: path)
            let b = try SQLiteLedger(path: path)
            defer { try? a.close(); try? b.close() }
            try body(path, a, b)
        }
    }

    @Test func anOrderBelongsToTheProcessThatStartedItWhileThatProcessLives() throws {
        try withTwoProcesses { path, a, b in
            let aID = try #require(a.ownerID)
            let bID = try #require(b.ownerID)
            #expect(aID != bID)
            #expect(leaseIDs(besideLedger: path) == [aID, bID])

            try a.insert(try sampleOrder())
            let order = try #require(try b.order(try sampleOrder().id))
            #expect(order.owner == aID)
            let events = try b.events(for: order.id)

            #expect(b.isInProgressElsewhere(order))
            #expect(!a.isInProgressElsewhere(order), "a process's own order is not elsewhere")
            #expect(try b.claim(order.id, at: base.addingTimeInterval(10)) == false)

            #expect(try b.order(order.id) == order, "a refused claim changed the order")
            #expect(try b.events(for: order.id) == events)
            // Looking did not take the live owner's file away.
            #expect(leaseIDs(besideLedger: path) == [aID, bID])
            // The owner's own claim: yes, and nothing written.
            #expect(try a.claim(order.id, at: base.addingTimeInterval(11)))
            #expect(try a.order(order.id) == order)
            #expect(try a.events(for: order.id) == events)
        }
    }

    @Test func afterTheOwnerEndsAnotherProcessTakesTheOrderOver() throws {
        try withTwoProcesses { path, a, b in
            let aID = try #require(a.ownerID)
            let bID = try #require(b.ownerID)
            let order = try sampleOrder()
            try a.insert(order)
            #expect(try b.claim(order.id, at: base.addingTimeInterval(5)) == false)
            let eventsBefore = try b.events(for: order.id)

            try a.close()  // as the process's end would

            let stored = try #require(try b.order(order.id))
            #expect(stored.owner == aID)
            #expect(!b.isInProgressElsewhere(stored))
            let takenAt = base.addingTimeInterval(60)
            #expect(try b.claim(order.id, at: takenAt))

            let after = try #require(try b.order(order.id))
            var expected = stored
            expected.owner = bID
            #expect(after == expected, "a claim changed more than the owner")
            let events = try b.events(for: order.id)
            #expect(Array(events.prefix(eventsBefore.count)) == eventsBefore)
            #expect(events.count == eventsBefore.count + 1)
            let event = try #require(events.last)
            #expect(event.kind == .takenOver)
            #expect(event.at == takenAt)
            #expect(event.detail.contains(bID) && event.detail.contains(aID), "\(event.detail)")
            #expect(!leaseIDs(besideLedger: path).contains(aID), "the ended owner's lease file is still there")
            #expect(leaseIDs(besideLedger: path).contains(bID))

            // Claimed again by its new owner: nothing more is written.
            #expect(try b.claim(order.id, at: takenAt.addingTimeInterval(1)))
            #expect(try b.events(for: order.id) == events)

            // And now B is the live owner a third process must leave alone.
            let c = try SQLiteLedger(path: path)
            defer { try? c.close() }
            #expect(c.isInProgressElsewhere(after))
            #expect(try c.claim(order.id, at: takenAt.addingTimeInterval(2)) == false)
            #expect(try c.order(order.id)?.owner == bID)
        }
    }

    @Test func aCrashedOwnersLeftoverLeaseIsSeenDeadAndRemovedByTheProcessThatLooks() throws {
        try withTwoProcesses { path, a, b in
            let order = try sampleOrder()
            try a.insert(order)
            let aID = try leaveLeaseAsACrashWould(a, path: path)
            #expect(leaseIDs(besideLedger: path).contains(aID))

            let stored = try #require(try b.order(order.id))
            #expect(stored.owner == aID)
            #expect(!b.isInProgressElsewhere(stored))
            #expect(!leaseIDs(besideLedger: path).contains(aID), "the dead owner's lease file was left after B looked")

            #expect(try b.claim(order.id, at: base.addingTimeInterval(60)))
            #expect(try b.order(order.id)?.owner == b.ownerID)
            #expect(try b.events(for: order.id).last?.kind == .takenOver)
        }
    }

    @Test func aNewProcessSweepsAwayTheLeasesOfDeadOwnersOnly() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let live = try SQLiteLedger(path: path)
            defer { try? live.close() }
            let dead = try leaveLeaseAsACrashWould(try SQLiteLedger(path: path), path: path)
            let liveID = try #require(live.ownerID)
            #expect(leaseIDs(besideLedger: path) == [liveID, dead])

            let next = try SQLiteLedger(path: path)
            defer { try? next.close() }

            #expect(leaseIDs(besideLedger: path) == [liveID, try #require(next.ownerID)])
        }
    }

    @Test(arguments: [OrderStatus.paid, .declined, .cancelled, .expired])
    func aFinalOrderIsNeverInProgress(_ status: OrderStatus) throws {
        try withTwoProcesses { path, a, b in
            let order = try sampleOrder()
            try a.insert(order)
            let final = try a.updateOrder(order.id, status: status, gatewayTradeID: nil, reason: nil, at: base)
            // Ended: nobody runs it any more, so nobody owns it.
            #expect(final.owner == nil)

            #expect(!b.isInProgressElsewhere(final))
        }
    }

    @Test func anOrderLeftUnknownIsNoLongerOwnedSoAnotherShroffMayAskAboutIt() throws {
        try withTwoProcesses { path, a, b in
            let order = try sampleOrder()
            try a.insert(order)
            #expect(b.isInProgressElsewhere(try #require(try b.order(order.id))))

            let unknown = try a.updateOrder(order.id, status: .unknown, gatewayTradeID: nil, reason: "no answer", at: base)

            #expect(unknown.owner == nil)
            #expect(!b.isInProgressElsewhere(unknown), "a till that gave up on it still kept others from settling it")
            #expect(try b.claim(order.id, at: base))
        }
    }

    @Test func aLedgerWithNoOwnerFolderAccessIsNotOpenedWithoutALease() throws {
        // The owners folder is where the lease lives: a ledger whose `.owners` is a plain file
        // cannot take a lease, and must say so rather than run orders nobody can see are live.
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            #expect(FileManager.default.createFile(atPath: path + ".owners", contents: Data("x".utf8)))
            let error = #expect(throws: LedgerError.self) { try SQLiteLedger(path: path) }
            guard case .cannotOpen(let reported, let reason)? = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(reported == path)
            #expect(reason.contains(".owners"), "\(reason)")
        }
    }

    /// Two processes looking at a crashed till's order at the same moment (`shroff orders`
    /// beside a till that starts and settles open orders) must both see its owner dead, not
    /// mistake each other's look (a lock on the owner's file) for the owner.
    @Test func twoProcessesLookingAtADeadOwnerAtOnceBothSeeItDead() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let lookers = try (0..<3).map { _ in try SQLiteLedger(path: path) }
            defer { for looker in lookers { try? looker.close() } }
            var seenAlive = 0
            var claimsRefused = 0
            let rounds = 600
            for round in 0..<rounds {
                let owner = try SQLiteLedger(path: path)
                let id = try orderID(round, 999)
                try owner.insert(Order(id: id, provider: "wantu", method: .qr, wallet: .alipay, amount: hkd(5_00),
                                       subject: "crashed", createdAt: base))
                _ = try leaveLeaseAsACrashWould(owner, path: path)
                let order = try #require(try lookers[0].order(id))

                // Two look (as `shroff orders` and the till's start do), one claims (as the till then does).
                let answers = onThreadsAtOnce(3) { index -> Bool in
                    if index == 2 { return try lookers[2].claim(id, at: base) }
                    usleep(UInt32.random(in: 0...300))  // land inside the other's probe now and then
                    return lookers[index].isInProgressElsewhere(order)
                }
                for (index, answer) in answers.enumerated() {
                    let said = try answer.get()
                    if index == 2 { claimsRefused += said ? 0 : 1 } else { seenAlive += said ? 1 : 0 }
                }
                // Whatever happened at that moment, the order is claimable now: the bug is transient.
                #expect(try lookers[2].claim(id, at: base.addingTimeInterval(1)), "round \(round)")
                #expect(try lookers[0].order(id)?.owner == lookers[2].ownerID)
            }
            #expect(seenAlive == 0, "a dead owner was seen alive \(seenAlive) times in \(2 * rounds) looks")
            #expect(claimsRefused == 0, "a dead owner's order was refused to a claim \(claimsRefused) times in \(rounds)")
        }
    }

    // MARK: Refunds

    @Test func aRefundBelongsToTheProcessThatBeganItUntilThatProcessLetsItGo() throws {
        try withTwoProcesses { path, a, b in
            let aID = try #require(a.ownerID)
            let bID = try #require(b.ownerID)
            let paid = try paidOrder(in: a)
            let begun = try a.beginRefund(orderID: paid.id, amount: hkd(40_00), reason: "returned", at: base.addingTimeInterval(5))
            #expect(begun.owner == aID)
            let seen = try #require(try b.refunds(for: paid.id).first)
            let events = try b.events(for: paid.id)

            // While A sends it, B must not: it is in progress there.
            #expect(b.isInProgressElsewhere(seen))
            #expect(!a.isInProgressElsewhere(seen), "a process's own refund is not elsewhere")
            #expect(try b.claimRefund(begun.id, at: base.addingTimeInterval(6)) == false)
            #expect(try b.refunds(for: paid.id) == [seen], "a refused claim changed the refund")
            #expect(try b.events(for: paid.id) == events)
            #expect(try a.claimRefund(begun.id, at: base.addingTimeInterval(6)))

            // Left unknown and let go: any shroff may retry it, and nobody took anything over.
            try a.updateRefund(begun.id, status: .unknown, gatewayRefundID: nil, reason: "no answer", at: base.addingTimeInterval(7))
            try a.releaseRefund(begun.id)
            let released = try #require(try b.refunds(for: paid.id).first)
            #expect(released.owner == nil && !b.isInProgressElsewhere(released))
            #expect(try b.claimRefund(begun.id, at: base.addingTimeInterval(8)))
            #expect(try a.refunds(for: paid.id).first?.owner == bID)
            #expect(try b.events(for: paid.id).filter { $0.kind == .takenOver }.isEmpty)
            // Now B sends it, and A is the one kept out; A letting go of B's refund changes nothing.
            #expect(try a.claimRefund(begun.id, at: base.addingTimeInterval(9)) == false)
            try a.releaseRefund(begun.id)
            #expect(try b.refunds(for: paid.id).first?.owner == bID)
        }
    }

    @Test func aRefundWhoseSenderDiedIsTakenOverWithAnEvent() throws {
        try withTwoProcesses { path, a, b in
            let paid = try paidOrder(in: a)
            let refund = try a.beginRefund(orderID: paid.id, amount: hkd(10_00), reason: "returned", at: base.addingTimeInterval(5))
            let aID = try leaveLeaseAsACrashWould(a, path: path)
            let bID = try #require(b.ownerID)

            let stored = try #require(try b.refunds(for: paid.id).first)
            #expect(stored.owner == aID && !b.isInProgressElsewhere(stored))
            let takenAt = base.addingTimeInterval(60)
            #expect(try b.claimRefund(refund.id, at: takenAt))

            var expected = stored
            expected.owner = bID
            #expect(try b.refunds(for: paid.id) == [expected], "a claim changed more than the owner")
            let event = try #require(try b.events(for: paid.id).last)
            #expect(event.kind == .takenOver && event.refundID == refund.id && event.at == takenAt)
            #expect(event.detail.contains(aID) && event.detail.contains(bID), "\(event.detail)")
        }
    }

    @Test(arguments: [RefundStatus.refunded, .failed])
    func aSettledRefundIsNeverInProgress(_ status: RefundStatus) throws {
        try withTwoProcesses { path, a, b in
            let paid = try paidOrder(in: a)
            let refund = try a.beginRefund(orderID: paid.id, amount: hkd(10_00), reason: "returned", at: base.addingTimeInterval(5))
            let settled = try a.updateRefund(refund.id, status: status, gatewayRefundID: "G-1", reason: nil, at: base.addingTimeInterval(6))
            let events = try b.events(for: paid.id)

            #expect(!b.isInProgressElsewhere(settled))
            #expect(try b.claimRefund(refund.id, at: base.addingTimeInterval(7)))
            #expect(try b.refunds(for: paid.id) == [settled] && b.events(for: paid.id) == events, "a final refund was taken")
        }
    }

    @Test func claimantsRacingForADeadSendersRefundNeverBothWin() throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let claimants = try (0..<3).map { _ in try SQLiteLedger(path: path) }
            defer { for claimant in claimants { try? claimant.close() } }
            for round in 0..<20 {
                let owner = try SQLiteLedger(path: path)
                let paid = try paidOrder(in: owner, String(format: "S250615R%03dPAID", round))
                let refund = try owner.beginRefund(orderID: paid.id, amount: hkd(1_00), reason: "race", at: base)
                _ = try leaveLeaseAsACrashWould(owner, path: path)

                let won = onThreadsAtOnce(claimants.count) { index in try claimants[index].claimRefund(refund.id, at: base) }
                let winners = try won.enumerated().filter { try $0.element.get() }.map(\.offset)
                #expect(winners.count == 1, "round \(round): \(winners.count) claimants won")
                #expect(try claimants[0].refunds(for: paid.id).first?.owner == winners.first.flatMap { claimants[$0].ownerID })
                #expect(try claimants[0].events(for: paid.id).filter { $0.kind == .takenOver }.count == 1, "round \(round)")
            }
        }
    }

    enum Death: String, CaseIterable, CustomTestStringConvertible {
        /// The owner closed its ledger (a clean exit): its lease file is gone.
        case closed
        /// The owner was killed: its lease file is left, unlocked.
        case crashed
        var testDescription: String { rawValue }
    }

    @Test(arguments: Death.allCases, [2, 3])
    func claimantsRacingForADeadOwnersOrdersNeverBothWin(_ death: Death, _ claimantCount: Int) throws {
        try withTemporaryFolder { folder in
            let path = folder + "/ledger.sqlite"
            let claimants = try (0..<claimantCount).map { _ in try SQLiteLedger(path: path) }
            defer { for claimant in claimants { try? claimant.close() } }
            let claimantIDs = try claimants.map { try #require($0.ownerID) }
            let rounds = 8
            let perRound = 15

            for round in 0..<rounds {
                let owner = try SQLiteLedger(path: path)
                let ids = try (0..<perRound).map { try orderID(round, $0) }
                for id in ids {
                    try owner.insert(Order(id: id, provider: "wantu", method: .qr, wallet: .alipay, amount: hkd(5_00),
                                           subject: "race", createdAt: base))
                }
                let deadID: String
                switch death {
                case .closed:
                    deadID = try #require(owner.ownerID)
                    try owner.close()
                case .crashed:
                    deadID = try leaveLeaseAsACrashWould(owner, path: path)
                }

                let won = onThreadsAtOnce(claimantCount) { index in
                    try ids.map { id in try claimants[index].claim(id, at: base.addingTimeInterval(Double(round))) }
                }
                var wins: [[Bool]] = []
                for result in won {
                    switch result {
                    case .success(let row): wins.append(row)
                    case .failure(let error): Issue.record("round \(round): a claim failed: \(error)")
                    }
                }
                guard wins.count == claimantCount else { continue }

                for (n, id) in ids.enumerated() {
                    let winners = (0..<claimantCount).filter { wins[$0][n] }
                    #expect(winners.count == 1, "round \(round), order \(id): \(winners.count) claimants won")
                    guard winners.count == 1 else { continue }
                    let winner = claimantIDs[winners[0]]
                    let order = try #require(try claimants[0].order(id))
                    #expect(order.owner == winner, "round \(round), order \(id)")
                    let takeOvers = try claimants[0].events(for: id).filter { $0.kind == .takenOver }
                    #expect(takeOvers.count == 1, "round \(round), order \(id): \(takeOvers.map(\.detail))")
                    #expect(takeOvers.first?.detail.contains(winner) == true)
                    #expect(takeOvers.first?.detail.contains(deadID) == true)
                }
                #expect(!leaseIDs(besideLedger: path).contains(deadID), "round \(round): the dead owner's lease file is left")
            }
            #expect(leaseIDs(besideLedger: path) == Set(claimantIDs))
        }
    }
}
