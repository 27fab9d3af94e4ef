import Config
import ScannerDevice

extension TillApp {
    /// The reader of `[scanner] device`, posting to the till's inbox; nil without `[scanner]`
    /// (the keyboard-wedge detector then tells scans from typing). Not started yet.
    func scannerWatch() -> ScannerWatch? {
        guard let settings = configuration.scanner else { return nil }
        let inbox = inbox
        return ScannerWatch(path: settings.device, kind: settings.kind == .hidPOS ? .hidPOS : .keyboard, grab: settings.grab) { event in
            inbox.post(TillApp.tillEvent(for: event))
        }
    }

    /// What the screen hears of a scanner event. Scans go in as the detector's scans do.
    static func tillEvent(for event: ScannerEvent) -> TillEvent {
        switch event {
        case .scan(let code):
            return .input(.scan(code))
        case .connected(let exclusive, let refusal):
            return .scanner(.connected(exclusive: exclusive, note: refusal))
        case .refused(let why):
            return .scanner(.refused(why))
        case .unavailable(let error):
            let what: String
            if case .disconnected = error { what = "Scanner disconnected" } else { what = "Scanner not available" }
            return .scanner(.unavailable("\(what): \(error). Keep going with the keyboard; the scanner is picked up again when it is back."))
        }
    }
}
