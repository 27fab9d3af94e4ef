import Foundation
import Owner
import Words

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
    static func require(_ store: ManagerPINStore, fromStandardInput: Bool, timeZone: TimeZone, words: Words = .english) throws {
        guard store.isSet else { return }
        let pin: String
        if fromStandardInput {
            guard let line = readLine() else {
                throw ShroffFailure(words("cli.pin.stdin_empty"))
            }
            pin = line.trimmingCharacters(in: .whitespaces)
        } else if isatty(0) == 1 {
            pin = try PINPrompt.read(words("cli.pin.prompt") + " ", words)
        } else {
            throw ShroffFailure(words("cli.pin.needs_terminal"))
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
            throw ShroffFailure(words(left == 1 ? "cli.pin.wrong_one" : "cli.pin.wrong", ["left": String(left), "minutes": String(minutes)]))
        case .lockedOut(let until):
            throw ShroffFailure(words("cli.pin.locked", ["time": words.time(until, in: timeZone)]))
        }
    }
}
