import Foundation
import NIOCore

/// The server gave no answer within the time a till waits for one.
struct PostgresNoAnswer: Error, CustomStringConvertible {
    let waited: Int
    var description: String { "the server gave no answer in \(waited) s" }
}

extension EventLoopFuture {
    /// Blocks until the future completes, as `wait()` does, but at most `seconds`: a server (or
    /// a connection) that never answers must not hold a till, or a thread of Swift's shared pool
    /// that other work needs, forever. Throws `PostgresNoAnswer` when the time runs out.
    func wait(atMost seconds: Int) throws -> Value {
        let outcome = FutureOutcome<Value>()
        let answered = DispatchSemaphore(value: 0)
        whenComplete { result in
            outcome.result = result
            answered.signal()
        }
        guard answered.wait(timeout: .now() + .seconds(seconds)) == .success, let result = outcome.result else {
            throw PostgresNoAnswer(waited: seconds)
        }
        return try result.get()
    }
}

/// Where a future's result waits for the thread that blocks on it.
private final class FutureOutcome<Value>: @unchecked Sendable {
    // @unchecked: written once by the event loop before the semaphore is signalled, read after.
    var result: Result<Value, any Error>?
}
