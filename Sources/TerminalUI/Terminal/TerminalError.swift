/// Why the till's screen could not start or keep running. Each message says what to do.
public enum TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// stdin or stdout is a pipe or a file: there is no one at the keyboard to draw for.
    case notATerminal
    /// ncurses refused to start (an unknown TERM, for example).
    case cannotStart(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "shroff's till needs a terminal; use the subcommands (shroff pay, shroff qr…) in scripts."
        case .cannotStart(let why):
            return "The till's screen could not start: \(why). Check that TERM names your terminal (for example TERM=xterm-256color)."
        }
    }
}
