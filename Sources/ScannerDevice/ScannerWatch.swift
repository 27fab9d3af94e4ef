import Foundation
import Synchronization

/// What the scanner's reader reports to the till.
public enum ScannerEvent: Sendable, Equatable {
    /// The device is open (again). `grabRefusal` says why it is not exclusive, when grab was
    /// asked for and the node could not be grabbed.
    case connected(exclusive: Bool, grabRefusal: String?)
    /// One whole scan: holds a payment code, so turn it into a `PaymentCode` at once and never
    /// show or log it.
    case scan(String)
    /// Something came from the device that is not a scan; why (never the data).
    case refused(String)
    /// The device cannot be read: never opened, or lost mid-shift. The reader keeps trying.
    case unavailable(ScannerError)
}

/// Reads the scanner's device on a thread of its own for as long as the till runs: opens it,
/// reports each scan, and when it cannot be opened or goes away, says so once and tries again
/// every `retryInterval`, so a scanner plugged back in is picked up without a restart.
///
/// Promises: `post` is called from the reader's thread only, in order; the same problem is
/// reported once until it changes or the device is back; a regular file (a recording) is read
/// once, never replayed; after `stop()` returns nothing more is posted and the device is closed.
public final class ScannerWatch: Sendable {
    public let path: String
    public let kind: ScannerProtocol
    public let grab: Bool
    public let retryInterval: Duration
    private let stopping = Atomic<Bool>(false)
    /// Whether the thread was started, and whether a `stop()` has already waited for it.
    private let lifecycle = Mutex<(started: Bool, joined: Bool)>((false, false))
    private let done = DispatchSemaphore(value: 0)
    private let post: @Sendable (ScannerEvent) -> Void

    public init(path: String, kind: ScannerProtocol, grab: Bool, retryInterval: Duration = .milliseconds(500),
                post: @escaping @Sendable (ScannerEvent) -> Void) {
        self.path = path
        self.kind = kind
        self.grab = grab
        self.retryInterval = retryInterval
        self.post = post
    }

    /// Starts the reader's thread. Call once.
    public func start() {
        let first = lifecycle.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "shroff.scanner"
        thread.start()
    }

    /// Stops reading and closes the device; returns once the thread has ended (within one poll
    /// or one `retryInterval`). Safe to call more than once, or without `start()`.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        let wait = lifecycle.withLock { state in
            defer { state.joined = true }
            return state.started && !state.joined
        }
        if wait { done.wait() }
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func run() {
        var lastProblem: ScannerError?
        while !isStopping {
            let port: ScannerPort
            do {
                port = try ScannerPort(path: path, kind: kind, grab: grab)
            } catch {
                let alreadySaid = error == lastProblem || (error == .missing(path) && lastProblem.map(isLoss) == true)
                if !alreadySaid {
                    post(.unavailable(error))
                    lastProblem = error
                }
                Thread.sleep(forTimeInterval: Double(retryInterval.components.seconds) + Double(retryInterval.components.attoseconds) / 1e18)
                continue
            }
            lastProblem = nil
            post(.connected(exclusive: port.exclusive, grabRefusal: port.grabRefusal))
            do {
                while !isStopping {
                    for reading in try port.read(timeout: .milliseconds(200)) {
                        switch reading {
                        case .scan(let text): post(.scan(text))
                        case .refused(let why): post(.refused(why))
                        }
                    }
                }
            } catch {
                if !isStopping {
                    post(.unavailable(error))
                    lastProblem = error
                }
                // A recording read to its end would only replay its scans.
                if port.isRecording { return }
            }
        }
    }

    /// A device lost mid-shift whose node then vanished: "unplugged" was already said.
    private func isLoss(_ error: ScannerError) -> Bool {
        if case .disconnected = error { return true }
        return false
    }
}
