import Dispatch

/// Runs blocking ledger calls on a thread of their own, off Swift's cooperative pool.
///
/// A ledger call blocks its thread while it waits: SQLite up to its busy timeout for another
/// process's write lock, PostgreSQL for its server. The cooperative pool has as many threads as
/// the machine has cores, two on a counter PC, so two such waits on it stop every task in the
/// process: a notify server would then answer nothing, not even its health check, and the task
/// that would end the wait could never run. A serial dispatch queue is served by a thread
/// outside the pool; the ledger takes one writer at a time anyway.
public struct LedgerQueue: Sendable {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws(LedgerError) -> T) async throws(LedgerError) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, LedgerError>, Never>) in
            queue.async { continuation.resume(returning: Result { () throws(LedgerError) -> T in try body() }) }
        }
        return try result.get()
    }
}
