import CheckoutCore
import Foundation
import Synchronization

/// A `PaymentGateway` that answers from scripts a test writes and remembers every request, so
/// a test can say what the till sent, in what order and how often.
///
/// Each script receives the request and its rank among requests of the same kind (1-based), so
/// "user paying twice, then paid" needs no counter in the test. Scripts may be changed between
/// two calls of the runner (a refund that failed earlier succeeds when retried later).
final class ScriptedGateway: PaymentGateway {
    struct Script: Sendable {
        var pay: @Sendable (BarcodePayRequest) async -> PaymentVerdict = { request in
            .paid(ScriptedGateway.confirmation(request.amount))
        }
        var createQR: @Sendable (QRPayRequest) async -> QRCreation = { request in
            .created(payload: "weixin://wxpay/bizpayurl?pr=\(request.orderID)")
        }
        var query: @Sendable (OrderReference, Int) async -> PaymentVerdict = { _, _ in .notPaid }
        var cancel: @Sendable (OrderReference, Int) async -> CancelVerdict = { _, _ in .cancelled }
        var close: @Sendable (OrderReference, Int) async -> CancelVerdict = { _, _ in .cancelled }
        var refund: @Sendable (RefundRequest, Int) async -> RefundVerdict = { request, _ in
            .refunded(gatewayRefundID: "G-\(request.refundID)")
        }
        var transactions: [GatewayTransaction] = []
    }

    /// One request as the gateway received it.
    enum Call: Sendable, Equatable {
        case pay(OrderID)
        case createQR(OrderID)
        case query(OrderID)
        case cancel(OrderID)
        case close(OrderID)
        case refund(OrderID, RefundID)
        case transactions
    }

    let name = "scripted"
    let capabilities: GatewayCapabilities
    private let script: Mutex<Script>
    private let log = Mutex<[Call]>([])

    /// `capabilities` less than all: a gateway like CloudPay, which cannot be asked or close.
    init(_ script: Script = Script(),
         capabilities: GatewayCapabilities = [.barcodePay, .qrPay, .query, .cancel, .close, .refund, .transactionList]) {
        self.script = Mutex(script)
        self.capabilities = capabilities
    }

    /// Changes the answers for the calls that follow.
    func script(_ change: (inout Script) -> Void) {
        script.withLock { change(&$0) }
    }

    /// Every request received, in order.
    var calls: [Call] { log.withLock { $0 } }
    var payCount: Int { calls.filter { if case .pay = $0 { true } else { false } }.count }
    func queries(of id: OrderID) -> Int { calls.filter { $0 == .query(id) }.count }
    func cancels(of id: OrderID) -> Int { calls.filter { $0 == .cancel(id) }.count }
    func closes(of id: OrderID) -> Int { calls.filter { $0 == .close(id) }.count }
    /// The refund numbers of every refund request, retries included, in order.
    var refundIDs: [RefundID] { calls.compactMap { if case .refund(_, let id) = $0 { id } else { nil } } }

    /// A confirmation for `amount`, as a gateway's verified answer would carry it.
    static func confirmation(_ amount: Money, trade: String = "4200000000000000000001") -> PaymentConfirmation {
        PaymentConfirmation(gatewayTradeID: trade, amount: amount, paidAt: "2025-06-15 20:00:05")
    }

    /// Writes the call down; returns its rank among calls of the same kind and the script to answer with.
    private func note(_ call: Call, sameKind: (Call) -> Bool) -> (Int, Script) {
        let rank = log.withLock { log in
            log.append(call)
            return log.filter(sameKind).count
        }
        return (rank, script.withLock { $0 })
    }

    func pay(_ request: BarcodePayRequest) async -> PaymentVerdict {
        let (_, script) = note(.pay(request.orderID)) { if case .pay = $0 { true } else { false } }
        return await script.pay(request)
    }

    func createQR(_ request: QRPayRequest) async -> QRCreation {
        let (_, script) = note(.createQR(request.orderID)) { if case .createQR = $0 { true } else { false } }
        return await script.createQR(request)
    }

    func query(_ order: OrderReference) async -> PaymentVerdict {
        let (rank, script) = note(.query(order.orderID)) { if case .query = $0 { true } else { false } }
        return await script.query(order, rank)
    }

    func cancel(_ order: OrderReference) async -> CancelVerdict {
        let (rank, script) = note(.cancel(order.orderID)) { if case .cancel = $0 { true } else { false } }
        return await script.cancel(order, rank)
    }

    func close(_ order: OrderReference) async -> CancelVerdict {
        let (rank, script) = note(.close(order.orderID)) { if case .close = $0 { true } else { false } }
        return await script.close(order, rank)
    }

    func refund(_ request: RefundRequest) async -> RefundVerdict {
        let (rank, script) = note(.refund(request.order.orderID, request.refundID)) { if case .refund = $0 { true } else { false } }
        return await script.refund(request, rank)
    }

    func transactions(from start: Date, to end: Date) async throws(GatewayError) -> [GatewayTransaction] {
        let (_, script) = note(.transactions) { $0 == .transactions }
        return script.transactions
    }
}

/// The n-th answer of a list (1-based), the last one repeated once the list runs out.
func answer<T>(_ rank: Int, from list: [T]) -> T {
    list[min(rank, list.count) - 1]
}
