import CheckoutCore
import Foundation
import WantuGateway
import Logging

extension WantuSandbox {
    /// The state saved in `path`, on this process's clock, and the identity of the file read;
    /// no state for an empty sandbox (no file, or one that could not be used). A file that
    /// cannot be read or decoded is moved aside with a warning: training goes on with an empty
    /// sandbox rather than stopping.
    static func loadState(_ path: String, clock: CheckoutClock, wallClock: @Sendable () -> Date,
                          dates: WantuDateFormat, logger: Logger)
        -> (state: RestoredState?, identity: SandboxStateFile.Identity?) {
        let problem: String
        do {
            guard let (bytes, identity) = try SandboxStateFile.read(path) else { return (nil, nil) }
            let state = try JSONDecoder().decode(SandboxState.self, from: Data(bytes))
            return (try RestoredState(state, now: clock.now(), wallNow: wallClock()), identity)
        } catch let failure as SandboxStateFile.Failure {
            problem = failure.description
        } catch let inconsistent as RestoredState.Inconsistent {
            problem = inconsistent.description
        } catch {
            // The file holds no secrets, so the decoder's reason may be logged.
            problem = "not a sandbox state file (\(error))"
        }
        SandboxStateFile.setAside(path, problem: problem, stamp: dates.compact(wallClock()), logger: logger,
                                  "sandbox state file unusable; starting with no orders")
        return (nil, nil)
    }

    /// Takes up what another process (another `shroff` in training) saved since this sandbox
    /// last read or wrote the file. Every change here is saved at once, so the memory holds
    /// nothing the file lacks, and adopting the file loses nothing of ours.
    func reloadIfChangedElsewhere() {
        guard let stateFile, let current = SandboxStateFile.identity(stateFile), current != stateIdentity else { return }
        let (state, identity) = Self.loadState(stateFile, clock: clock, wallClock: wallClock, dates: dates, logger: logger)
        stateIdentity = identity
        // An unusable file was moved aside: keep what memory holds, and write it out again.
        guard let state else {
            unsaved = true
            return
        }
        orders = state.orders
        tradeIndex = state.tradeIndex
        refundIndex = state.refundIndex
        cancelledUnknown = state.cancelledUnknown
        tradeSequence = state.tradeSequence
        unsaved = false
    }

    /// Writes the whole state when something changed since the last save. A failure is logged
    /// and retried at the next change: the sandbox keeps answering from memory.
    func saveIfChanged() {
        guard unsaved else { return }
        unsaved = false
        guard let stateFile else { return }
        let state = SandboxState(
            version: SandboxState.currentVersion, tradeSequence: tradeSequence,
            orders: orders.values.sorted { $0.outTradeNo < $1.outTradeNo }.map(SavedOrder.init),
            burntOrderNumbers: cancelledUnknown.sorted())
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            stateIdentity = try SandboxStateFile.write(Array(try encoder.encode(state)), to: stateFile)
        } catch {
            unsaved = true
            logger.warning("sandbox state not saved", metadata: ["state_file": "\(stateFile)", "problem": "\(error)"])
        }
    }
}
