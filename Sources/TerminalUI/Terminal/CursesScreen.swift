internal import CNcursesw
import Dispatch
import Foundation
import Words

/// The till's terminal: owns the ncurses screen from `initscr` to `endwin`, draws `Frame`s and
/// reads keys as `KeyStroke`s.
///
/// Promises: the terminal is restored (`endwin`) when this is closed or deinitialised, and on
/// SIGTERM/SIGHUP; only rows that changed since the last frame are rewritten; colour is used
/// only when the terminal has it and NO_COLOR is unset, and every style stays distinguishable
/// without it (bold, reverse, underline). Use from one thread only: ncurses is not thread-safe.
public final class CursesScreen {
    /// True when the locale's character set is UTF-8; otherwise frames must be ASCII only.
    public let unicode: Bool
    /// True when styles are drawn in colour.
    public let colour: Bool

    private let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private let now: () -> Duration
    private var lastFrame: Frame?
    private var cursorVisible = false
    private var closed = false
    private let signals: [DispatchSourceSignal]

    /// Starts curses on the controlling terminal.
    ///
    /// - Parameters:
    ///   - environment: read for NO_COLOR.
    ///   - now: the monotonic time stamped on each key (the same clock as the till's ticks).
    /// - Throws: `TerminalError.notATerminal` when stdin or stdout is not a terminal (a script,
    ///   CI): curses would spin on an input at end of file.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                now: @escaping () -> Duration) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        // Before initscr, or every ▀▄█ comes out as garbage. A UTF-8 locale this machine has not
        // generated (zh_HK.UTF-8 on a fresh install) still means a UTF-8 terminal: C.UTF-8 reads it.
        if setlocale(LC_ALL, "") == nil, LanguageChoice.isUTF8(environment) {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        let codeset = shroff_codeset().map { String(cString: $0) } ?? ""
        unicode = ["utf-8", "utf8"].contains(codeset.lowercased())

        guard let screen = shroff_newterm() else {
            throw .cannotStart("TERM=\(environment["TERM"] ?? "(unset)") is not a terminal type this machine knows")
        }
        _ = set_term(screen)
        guard let window = shroff_stdscr() else {
            endwin()
            delscreen(screen)
            throw .cannotStart("no screen")
        }
        self.screen = screen
        self.window = window
        self.now = now
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        // Esc must feel immediate; a scanner never sends escape sequences.
        set_escdelay(25)
        curs_set(0)

        let wantsColour = environment["NO_COLOR"].map(\.isEmpty) ?? true
        colour = wantsColour && has_colors() && start_color() == OK
        if colour { CursesScreen.definePairs() }

        signals = CursesScreen.restoreOnSignals()
    }

    deinit { close() }

    /// Restores the terminal. Safe to call more than once; `deinit` calls it too.
    public func close() {
        guard !closed else { return }
        closed = true
        for source in signals { source.cancel() }
        endwin()
        signal(SIGINT, SIG_DFL)
        delscreen(screen)
    }

    /// The terminal's size now, in character cells.
    public var size: TerminalSize {
        TerminalSize(columns: Int(shroff_window_columns(window)), rows: Int(shroff_window_rows(window)))
    }

    /// Forgets what is on screen: the next `draw` repaints every row from scratch.
    public func invalidate() {
        lastFrame = nil
        clearok(window, true)
    }

    /// Writes `frame`, rewriting only the rows that differ from the last frame drawn, then
    /// updates the terminal once.
    public func draw(_ frame: Frame) {
        let rows = FrameDiff.rowsToRewrite(from: lastFrame, to: frame)
        if lastFrame?.size != frame.size { werase(window) }
        for row in rows where row < frame.rows.count {
            wmove(window, Int32(row), 0)
            apply(.normal)
            wclrtoeol(window)
            for span in frame.rows[row] {
                apply(span.style)
                // Writing the bottom-right cell answers ERR (the cursor cannot advance) but
                // the character is drawn: not an error here.
                _ = waddstr(window, span.text)
            }
        }
        apply(.normal)
        placeCursor(frame.cursor)
        wnoutrefresh(window)
        doupdate()
        lastFrame = frame
    }

    /// Waits up to `timeout` for one key. Returns nil when none came, or for a key the till
    /// ignores. A resize answers `.resize`; read `size` for the new dimensions.
    public func readKey(timeout: Duration, wakeDescriptor: Int32 = -1) -> KeyStroke? {
        let milliseconds = max(0, Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        guard wakeDescriptor >= 0 else { return readCursesKey(milliseconds) }
        // What ncurses already holds (the rest of a scanner's burst, read in one go) comes first.
        if let stroke = readCursesKey(0) { return stroke }
        // Then wait for the terminal or for the wake pipe, whichever speaks first.
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, 2, milliseconds)
        // Interrupted (a resize arrives as SIGWINCH): ncurses has the KEY_RESIZE for us.
        if ready < 0 { return readCursesKey(0) }
        guard ready > 0, descriptors[0].revents != 0 else { return nil }
        // Input is there; a moment more lets an escape sequence arrive whole.
        return readCursesKey(max(milliseconds, 10))
    }

    /// One `wget_wch` with a timeout in milliseconds (0: only what is already there).
    private func readCursesKey(_ milliseconds: Int32) -> KeyStroke? {
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        let input: CursesInput
        switch status {
        case KEY_CODE_YES: input = .keyCode(Int32(bitPattern: character))
        case OK: input = .character(UInt32(character))
        default: return nil
        }
        guard let key = Key.fromCurses(input) else { return nil }
        if key == .resize { invalidate() }
        return KeyStroke(key: key, at: now())
    }

    private func placeCursor(_ position: (row: Int, column: Int)?) {
        if let position {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(window, Int32(position.row), Int32(position.column))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
    }
}
