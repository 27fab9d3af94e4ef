import CheckoutCore
import Foundation
import Logging

/// What the aggregator's simulator keeps in its state file: its orders and its sequence.
struct AggregatorSandboxState: Codable {
    static let currentVersion = 1
    var version: Int
    var sequence: Int
    var orders: [AggregatorSandboxOrder]
}

extension AggregatorSandbox {
    /// The orders saved in `path`, their scenario timing carried over to this process's clock
    /// (as much time has passed since their creation as the wall clock says); nil when there is
    /// no file. An unusable file is moved aside with a warning, and the sandbox starts empty.
    static func loadState(_ path: String, clock: CheckoutClock, wallClock: @Sendable () -> Date, stamp: String,
                          logger: Logger) -> AggregatorSandboxState? {
        let problem: String
        do {
            guard let (bytes, _) = try SandboxStateFile.read(path) else { return nil }
            var state = try JSONDecoder().decode(AggregatorSandboxState.self, from: Data(bytes))
            guard state.version == AggregatorSandboxState.currentVersion else { throw StateVersion(found: state.version) }
            let (now, wallNow) = (clock.now(), wallClock())
            for index in state.orders.indices {
                let age = max(0, wallNow.timeIntervalSince(state.orders[index].createdWall))
                state.orders[index].createdAt = now - .milliseconds(Int64(age * 1000))
            }
            return state
        } catch let failure as SandboxStateFile.Failure {
            problem = failure.description
        } catch {
            // The file holds no secrets, so the decoder's reason may be logged.
            problem = "not an aggregator sandbox state file (\(error))"
        }
        SandboxStateFile.setAside(path, problem: problem, stamp: stamp, logger: logger,
                                  "aggregator sandbox state file unusable; starting with no orders")
        return nil
    }

    /// Writes every order when something changed since the last save, without their
    /// `notify_url` (an earlier run's receiver is gone: its orders are not announced again). A
    /// failure is logged and retried at the next change; the sandbox answers from memory.
    func saveIfChanged() {
        guard unsaved, let stateFile else { return }
        unsaved = false
        let saved = orders.values.sorted { $0.orderNo < $1.orderNo }.map { order -> AggregatorSandboxOrder in
            var copy = order
            copy.notifyURL = ""
            return copy
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let state = AggregatorSandboxState(version: AggregatorSandboxState.currentVersion, sequence: sequence, orders: saved)
            _ = try SandboxStateFile.write(Array(try encoder.encode(state)), to: stateFile)
        } catch {
            unsaved = true
            logger.warning("aggregator sandbox state not saved", metadata: ["state_file": "\(stateFile)", "problem": "\(error)"])
        }
    }
}

/// A state file written by another version of the simulator.
struct StateVersion: Error, CustomStringConvertible {
    var found: Int
    var description: String { "version \(found), this shroff reads version \(AggregatorSandboxState.currentVersion)" }
}
