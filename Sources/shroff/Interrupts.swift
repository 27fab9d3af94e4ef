import Dispatch
import Foundation
import Synchronization
import Till

/// Ctrl-C during a payment: the first press cancels the order at the gateway (after any request
/// on the wire has answered); a second press leaves at once, with the order open — it is
/// settled the next time shroff starts.
final class Interrupts {
    private let source: DispatchSourceSignal

    init(control: CheckoutControl, output: Output) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let presses = Mutex(0)
        source.setEventHandler {
            let count = presses.withLock { $0 += 1; return $0 }
            if count == 1 {
                output.progress("Cancelling the order at the gateway… (Ctrl-C again leaves it open; it is settled on the next start)")
                control.requestCancel()
            } else {
                output.progress("Left open: run `shroff status <order>` or any payment command to settle it.")
                Foundation.exit(ExitStatus.attention.rawValue)
            }
        }
        source.resume()
        self.source = source
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
