import Foundation

/// One QR order as the simulated aggregator keeps it.
struct AggregatorSandboxOrder: Sendable, Codable {
    /// The seed's pay_status: -1 paying, 0 failed, 1 paid.
    enum Status: Int, Sendable, Codable {
        case paying = -1
        case failed = 0
        case paid = 1
    }

    var orderNo: String
    var platformOrderNo: String
    var amountFen: Int64
    var bankCode: String
    var attach: String
    var status: Status
    var createdWall: Date
    /// Monotonic time of creation, on the sandbox's clock: times the scenario.
    var createdAt: Duration
    /// What the customer paid, once paid (less than `amountFen` in the `..17` scenario).
    var actualFen: Int64?
    var payWall: Date?
    /// Where the callback goes: the request's `notify_url`.
    var notifyURL: String
    var checkOrderCalls = 0

    var scenario: AggregatorSandboxScenario { AggregatorSandboxScenario(amountFen: amountFen) }

    /// Applies an outcome that fell due by `now`; true when it changed the order.
    mutating func settle(now: Duration) -> Bool {
        guard status == .paying, let after = scenario.settlesAfter, now - createdAt >= after else { return false }
        let due = createdWall.addingTimeInterval(Double(after.components.seconds))
        if scenario == .failsSoon {
            status = .failed
            payWall = due
        } else {
            pay(at: due)
        }
        return true
    }

    /// The pay_status the simulator writes: the seed's table, but 0 for an unpaid order of the
    /// `..19` scenario (the seed's check_order example).
    var payStatus: Int {
        status == .paying && scenario == .zeroWhileUnpaid ? Status.failed.rawValue : status.rawValue
    }

    mutating func pay(at wall: Date) {
        status = .paid
        payWall = wall
        actualFen = scenario == .paidLess ? max(1, amountFen - 100) : amountFen
    }

    /// An amount as the simulator writes it: the seed's ".00" form, or integer fen in `..18`.
    func written(_ fen: Int64) -> String {
        scenario == .integerAmounts ? String(fen) : "\(fen).00"
    }
}
