import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body(0)`, `body(1)`, … `body(count - 1)` each on a thread of its own, all released at
/// the same moment (a spinning start line), and returns what each gave, in index order.
///
/// Threads rather than tasks: the ledger's calls block (SQLite, `flock`), and the cooperative
/// pool may have as few threads as the machine has cores, which would run them one by one.
func onThreadsAtOnce<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
    let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
    let ready = Atomic<Int>(0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        Thread.detachNewThread {
            ready.add(1, ordering: .sequentiallyConsistent)
            while ready.load(ordering: .sequentiallyConsistent) < count { sched_yield() }
            let result = Result { try body(index) }
            results.withLock { $0[index] = result }
            done.leave()
        }
    }
    done.wait()
    return results.withLock { $0.map { $0! } }
}

/// The names of the lease files in `<ledgerPath>.owners`, without `.lease`.
func leaseIDs(besideLedger ledgerPath: String) -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: ledgerPath + ".owners")) ?? []
    return Set(names.filter { $0.hasSuffix(".lease") }.map { String($0.dropLast(".lease".count)) })
}
