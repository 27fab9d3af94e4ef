internal import CNcursesw
import Dispatch
import Foundation

extension CursesScreen {
    /// SIGTERM and SIGHUP (the terminal closed, the machine shutting down) would leave the
    /// terminal in curses mode; these handlers restore it and exit with 128 + the signal.
    ///
    /// Dispatch sources run the handler on a queue, outside the signal context, so calling
    /// `endwin` there is safe. An order left in flight stays `pending` in the ledger and is
    /// settled at the next start.
    ///
    /// Ctrl-C (SIGINT) is ignored while the screen is up: it would kill the till mid-payment
    /// and leave the terminal raw; the cashier quits with the footer's quit key, which the
    /// till refuses while money is moving.
    static func restoreOnSignals() -> [DispatchSourceSignal] {
        signal(SIGINT, SIG_IGN)
        return [SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                endwin()
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
