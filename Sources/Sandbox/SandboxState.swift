import Foundation

/// What a sandbox's state file holds (JSON): everything a sandbox started later needs to carry
/// on where this one stopped. Never the key, never a payment code: neither is needed to answer
/// a query, a refund or an order-list.
///
/// Times: in memory an order's creation and its timer (`paysAt`) are readings of the injected
/// monotonic `CheckoutClock`, which tests step and which wall-clock jumps cannot disturb. Those
/// readings mean nothing to another process, so the file holds wall-clock dates instead: when
/// the order was made and when its timer falls due. Loading maps them back onto the new
/// process's clock (`SavedOrder.restored`): the order is as old as the wall clock says (never
/// less than zero), and its timer keeps its delay from creation, so a timer whose wall-clock
/// due date has passed is due at once, and one not yet due waits only what is left.
struct SandboxState: Codable, Sendable {
    static let currentVersion = 1

    /// Refused on load when unknown, as a file from a newer shroff would be misread.
    var version: Int
    /// The last trade sequence used; the next trade number continues from it.
    var tradeSequence: Int
    var orders: [SavedOrder]
    /// Order numbers cancelled before any pospay: they stay burnt.
    var burntOrderNumbers: [String]
}

/// One order as saved; see `SandboxState` for how its times are kept.
struct SavedOrder: Codable, Sendable {
    var outTradeNo: String
    var tradeID: String
    var isQR: Bool
    var payChannel: Int
    var amountMinor: Int64
    /// `SandboxScenario.rawValue`; nil for a QR order.
    var scenario: Int?
    /// `SandboxOrderStatus.rawValue`.
    var status: String
    var attach: String
    var deviceSN: String
    var createdWall: Date
    /// When the order pays itself, if it still will.
    var paysAtWall: Date?
    var paidWall: Date?
    var refunds: [SandboxRefund]
    var pospayCalls: Int
    var queryCalls: Int
    var cancelCalls: Int
    var closeCalls: Int
    var refundCalls: Int

    init(_ order: SandboxOrder) {
        outTradeNo = order.outTradeNo
        tradeID = order.tradeID
        isQR = order.isQR
        payChannel = order.payChannel
        amountMinor = order.amountMinor
        scenario = order.scenario?.rawValue
        status = order.status.rawValue
        attach = order.attach
        deviceSN = order.deviceSN
        createdWall = order.createdWall
        paysAtWall = order.paysAt.map { order.createdWall.addingTimeInterval(($0 - order.createdAt).timeInterval) }
        paidWall = order.paidWall
        refunds = order.refunds
        pospayCalls = order.pospayCalls
        queryCalls = order.queryCalls
        cancelCalls = order.cancelCalls
        closeCalls = order.closeCalls
        refundCalls = order.refundCalls
    }

    /// The order on a clock that reads `now` while the wall clock reads `wallNow`; nil when
    /// the saved status or scenario is not one this sandbox knows.
    func restored(now: Duration, wallNow: Date) -> SandboxOrder? {
        guard let status = SandboxOrderStatus(rawValue: status) else { return nil }
        var known: SandboxScenario?
        if let scenario {
            guard let value = SandboxScenario(rawValue: scenario) else { return nil }
            known = value
        }
        let createdAt = now - .seconds(max(0, wallNow.timeIntervalSince(createdWall)))
        let paysAt = paysAtWall.map { createdAt + .seconds(max(0, $0.timeIntervalSince(createdWall))) }
        return SandboxOrder(
            outTradeNo: outTradeNo, tradeID: tradeID, isQR: isQR, payChannel: payChannel,
            amountMinor: amountMinor, scenario: known, status: status, attach: attach, deviceSN: deviceSN,
            createdWall: createdWall, createdAt: createdAt, paysAt: paysAt, paidWall: paidWall, refunds: refunds,
            pospayCalls: pospayCalls, queryCalls: queryCalls, cancelCalls: cancelCalls,
            closeCalls: closeCalls, refundCalls: refundCalls)
    }
}

/// The state loaded from a file, on this process's clock, with the indexes rebuilt from the
/// orders (so they cannot disagree with them).
struct RestoredState: Sendable {
    var orders: [String: SandboxOrder] = [:]
    var tradeIndex: [String: String] = [:]
    var refundIndex: [String: String] = [:]
    var cancelledUnknown: Set<String>
    var tradeSequence: Int

    /// Why a file's content cannot be used; it is moved aside.
    struct Inconsistent: Error, CustomStringConvertible {
        var description: String
    }

    init(_ state: SandboxState, now: Duration, wallNow: Date) throws(Inconsistent) {
        guard state.version == SandboxState.currentVersion else {
            throw Inconsistent(description: "unknown version \(state.version)")
        }
        guard (0..<WantuSandbox.tradeSequenceModulus).contains(state.tradeSequence) else {
            throw Inconsistent(description: "trade sequence out of range")
        }
        tradeSequence = state.tradeSequence
        cancelledUnknown = Set(state.burntOrderNumbers)
        for saved in state.orders {
            guard let order = saved.restored(now: now, wallNow: wallNow) else {
                throw Inconsistent(description: "order \(saved.outTradeNo) has an unknown status or scenario")
            }
            guard orders[order.outTradeNo] == nil, tradeIndex[order.tradeID] == nil else {
                throw Inconsistent(description: "order \(order.outTradeNo) or its trade number appears twice")
            }
            orders[order.outTradeNo] = order
            tradeIndex[order.tradeID] = order.outTradeNo
            for refund in order.refunds {
                guard refundIndex[refund.outRefundNo] == nil else {
                    throw Inconsistent(description: "refund \(refund.outRefundNo) appears twice")
                }
                refundIndex[refund.outRefundNo] = order.outTradeNo
            }
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for moving between the monotonic clock and dates.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
