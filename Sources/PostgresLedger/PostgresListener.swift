import CheckoutCore
import Ledger
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The till's one listening connection: it hears the `NOTIFY` that a notify server's
/// transaction sends when it commits a notification (`PostgresStatements.announceChange`),
/// and passes each to the tills waiting on that order (`PostgresLedger.news(of:)`).
///
/// It connects at the first wait, apart from the connection statements run on (that one is
/// held by whoever runs a statement; this one only listens), and stays until the ledger
/// closes. When the connection drops, every waiter hears `.notListening` and reads the row
/// itself; the listener connects again after `retryDelay` and, once `LISTEN` is in force,
/// says `.listening`. Nothing here blocks a thread: it runs on an event loop of its own.
final class PostgresListener: Sendable {
    /// The channel the till's store is announced on.
    let channel: String
    /// How long to wait before connecting again after the connection was lost or refused.
    let retryDelay: Duration
    private let configuration: @Sendable () throws -> PostgresConnection.Configuration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        var listening = false
        var task: Task<Void, Never>?
        var closed = false
    }

    private struct Waiter {
        let orderID: String
        let continuation: AsyncStream<OrderNews>.Continuation
    }

    init(store: String, retryDelay: Duration, logger: Logger,
         configuration: @escaping @Sendable () throws -> PostgresConnection.Configuration) {
        channel = Self.channel(store: store)
        self.retryDelay = retryDelay
        self.logger = logger
        self.configuration = configuration
    }

    /// The channel of `store`: "shroff.<store>" for a short store id of letters, digits, `.`,
    /// `_` and `-`; otherwise "shroff.#" and a hash of it (a channel is a PostgreSQL name: at
    /// most 63 bytes, and `LISTEN` takes it quoted). Two stores sharing a hash only wake each
    /// other's tills for a look at a row that did not change.
    static func channel(store: String) -> String {
        let plain = store.utf8.count <= 48 && store.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0))
        }
        if plain { return "shroff." + store }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits: stable across runs and machines
        for byte in store.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "shroff.#" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// News of order `id`; see `Ledger.news(of:)`. The first element says whether the listener
    /// is listening now.
    func news(of id: OrderID) -> AsyncStream<OrderNews> {
        let (stream, continuation) = AsyncStream.makeStream(of: OrderNews.self, bufferingPolicy: .bufferingNewest(4))
        let key = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            let key = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[key] = Waiter(orderID: id.rawValue, continuation: continuation)
            continuation.yield(state.listening ? .listening : .notListening)
            if state.task == nil { state.task = Task { await self.listen() } }
            return key
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.waiters.removeValue(forKey: key) }
        }
        return stream
    }

    /// Stops listening and ends every waiter's stream. A second call does nothing.
    ///
    /// The connection is closed by the listening task itself, which its cancellation ends:
    /// closed from here, it could be asked to close after that task had shut its event loop
    /// down, and the close would never be answered.
    func close() {
        let (task, waiters) = state.withLock { state in
            defer {
                state.closed = true
                state.waiters = [:]
            }
            return (state.task, Array(state.waiters.values))
        }
        task?.cancel()
        for waiter in waiters { waiter.continuation.finish() }
    }

    /// Connects and listens until the listener closes, connecting again after each loss.
    private func listen() async {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        while !Task.isCancelled {
            var opened: PostgresConnection?
            do {
                let connection = try await PostgresConnection.connect(on: group.next(), configuration: try configuration(),
                                                                      id: 2, logger: logger)
                opened = connection
                if !isClosed {
                    try await connection.listen(on: channel) { notifications in
                        changeListening(to: true)
                        for try await notification in notifications {
                            deliver(notification.payload)
                        }
                    }
                }
            } catch {
                logger.debug("listening connection lost", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            changeListening(to: false)
            // Closed here, whoever ended it: a connection is closed before it is let go, and
            // before the event loop it runs on is shut down.
            try? await opened?.close()
            try? await Task.sleep(for: retryDelay)
        }
        try? await group.shutdownGracefully()
    }

    /// True once `close()` was called: a connection opened meanwhile is closed unused.
    private var isClosed: Bool { state.withLock { $0.closed } }

    private func changeListening(to listening: Bool) {
        state.withLock { state in
            guard state.listening != listening, !state.closed else { return }
            state.listening = listening
            for waiter in state.waiters.values { waiter.continuation.yield(listening ? .listening : .notListening) }
        }
    }

    private func deliver(_ orderID: String) {
        state.withLock { state in
            for waiter in state.waiters.values where waiter.orderID == orderID { waiter.continuation.yield(.changed) }
        }
    }
}
