import Foundation
import Owner

/// The manager PIN a command asks for before it refunds, when one is set (`shroff set-pin`):
/// the same PIN, attempt count and lockout as the till's refund screen.
enum ManagerPINGate {
    /// Returns when the refund may go ahead: no PIN is set, or the right one was given.
    /// Otherwise throws a message that says nothing was refunded and what to do.
    ///
    /// The PIN comes from the first line of standard input with `fromStandardInput`
    /// (`--pin-stdin`, for scripts); otherwise it is asked for on the terminal without echo. A
    /// command without a terminal and without `--pin-stdin` is refused rather than reading
    /// whatever its standard input holds.
    static func require(_ store: ManagerPINStore, fromStandardInput: Bool, timeZone: TimeZone) throws {
        guard store.isSet else { return }
        let pin: String
        if fromStandardInput {
            guard let line = readLine() else {
                throw ShroffFailure("--pin-stdin was given, but standard input is empty: write the manager PIN on its first line. Nothing was refunded.")
            }
            pin = line.trimmingCharacters(in: .whitespaces)
        } else if isatty(0) == 1 {
            pin = try PINPrompt.read("Manager PIN: ")
        } else {
            throw ShroffFailure("A manager PIN guards refunds: run this at a terminal to type it, or give it on standard input with --pin-stdin. Nothing was refunded.")
        }
        let answer: PINCheck
        do {
            answer = try store.verify(pin, now: Date())
        } catch {
            throw ShroffFailure("\(error.description) Nothing was refunded.")
        }
        let minutes = Int(ManagerPINStore.lockout / 60)
        switch answer {
        case .accepted, .notSet:
            // `.notSet`: the file was removed since `isSet`, which is how an owner forgets the PIN.
            return
        case .rejected(let left):
            let more = left == 1 ? "One more wrong PIN locks" : "\(left) more wrong PINs lock"
            throw ShroffFailure("Wrong manager PIN: nothing was refunded. \(more) refunds for \(minutes) minutes, on this till and every other.")
        case .lockedOut(let until):
            throw ShroffFailure("Too many wrong manager PINs: refunds are locked until \(clockTime(until, in: timeZone)). Nothing was refunded; try again then.")
        }
    }

    /// "14:05" in the store's time zone.
    private static func clockTime(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
