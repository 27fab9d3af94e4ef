import Foundation
import Words

/// Reads a PIN without echoing it on a terminal, or a line from standard input otherwise.
enum PINPrompt {
    static func read(_ prompt: String, _ words: Words = .english) throws -> String {
        guard isatty(0) == 1 else {
            guard let line = readLine() else { throw ShroffFailure(words("cli.pin.none_on_stdin")) }
            return line.trimmingCharacters(in: .whitespaces)
        }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return (readLine() ?? "").trimmingCharacters(in: .whitespaces)
    }
}
