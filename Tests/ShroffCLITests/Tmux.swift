import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The till (`shroff` with no subcommand) running in a detached tmux pane of its own, driven
/// as a cashier would: keys typed with `send-keys`, a scanner imitated digit by digit, the
/// screen read with `capture-pane`.
///
/// Each one starts its own tmux server (`-L` with a unique socket name, `-f /dev/null`), so a
/// test never touches the user's tmux; `stop()` (or release) kills that server. The program
/// runs under TERM=tmux-256color and LANG=C.UTF-8 (see notes/terminal.md: under xterm-256color
/// coloured blank runs go missing from captures) with only the till's HOME/XDG environment and
/// what the test adds (another LANG, for the till in Chinese).
final class TmuxTill: @unchecked Sendable {
    // @unchecked: the mutable `stopped` flag is only touched from the test's own task.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let socket: String
    /// Where the shell writes the till's exit status when it ends.
    private let statusFile: String
    /// The one session on this test's server.
    static let session = "till"
    private var stopped = false

    /// Starts `shroff arguments…` in a new `columns`×`rows` pane and returns at once.
    init(_ till: TillHome, arguments: [String] = [], environment extra: [String: String] = [:], columns: Int = 80, rows: Int = 24) throws {
        socket = "shroff-test-" + UUID().uuidString.prefix(8).lowercased()
        var environment = till.environment
        environment["TERM"] = "tmux-256color"
        environment["LANG"] = "C.UTF-8"
        environment.merge(extra) { _, new in new }
        let command = ["env", "-i"] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [try ShroffBinary.url().path] + arguments
        // The pane's shell command is run by /bin/sh: quote every word. The shell, not tmux,
        // waits for the till and writes down how it ended: tmux does not reliably reap a pane's
        // process when its server runs under the test runner.
        statusFile = till.root + "/tmux-\(socket).status"
        let shellCommand = command.map(Self.quoted).joined(separator: " ") + "; echo $? > " + Self.quoted(statusFile)
        // The options go in before the session exists: no status line taking a row, a pane that
        // outlives the program (so its last screen can be read), a known shell.
        let config = till.root + "/tmux-\(socket).conf"
        try Data("set -g status off\nset -g remain-on-exit on\nset -g default-terminal tmux-256color\nset -g default-shell /bin/sh\n".utf8)
            .write(to: URL(fileURLWithPath: config))
        try Self.startServer(["-L", socket, "-f", config, "new-session", "-d", "-s", Self.session, "-x", "\(columns)", "-y", "\(rows)", shellCommand],
                             output: till.root + "/tmux-\(socket).out")
    }

    /// Runs the tmux client that starts the server, with every signal unblocked and at its
    /// default: the server forks from it and keeps its signal mask, and the test runner's
    /// threads block SIGTERM and SIGCHLD, so a server started the ordinary way ignores
    /// `kill-server` and never sees the till exit. Its output goes to a file, not a pipe: the
    /// server would hold a pipe open for as long as it runs.
    private static func startServer(_ arguments: [String], output: String) throws {
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        #if canImport(Darwin)
        var files: posix_spawn_file_actions_t? = nil
        #else
        var files = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&files)
        defer { posix_spawn_file_actions_destroy(&files) }
        posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&files, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&files, 1, 2)

        let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &files, &attributes, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "tmux could not be started (errno \(spawned)). Install it: apt-get install tmux")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        // The client exits once the detached session exists: an exit status other than 0 means it does not.
        let exitedCleanly = (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0
        guard exitedCleanly else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw Failure(description: "tmux \(arguments.prefix(8).joined(separator: " ")) … failed (status \(status)): \(said)")
        }
    }

    deinit { stop() }

    /// Kills this test's tmux server and the till in it. Safe to call more than once.
    func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? Self.tmux(["-L", socket, "kill-server"])
    }

    /// Presses keys by their tmux names ("Enter", "Escape", "F3", "DC", "BSpace") or characters.
    func press(_ keys: String...) throws {
        for key in keys { try tmux(["send-keys", "-t", Self.session, key]) }
    }

    /// Types `text` literally, one character per key, at least 40 ms apart: a fast person,
    /// never a scanner.
    func type(_ text: String) throws {
        for (index, character) in text.enumerated() {
            if index > 0 { usleep(40_000) }
            try tmux(["send-keys", "-t", Self.session, "-l", String(character)])
        }
    }

    /// A USB scanner in keyboard-wedge mode: one digit every ~8 ms, then Enter. Returns the
    /// largest gap between two keys, so a failure on a loaded machine can say it was too slow.
    @discardableResult
    func scan(_ code: String) async throws -> Duration {
        let clock = ContinuousClock()
        var last: ContinuousClock.Instant?
        var largest: Duration = .zero
        for key in code.map(String.init) + ["Enter"] {
            if let last { largest = max(largest, clock.now - last) }
            if key == "Enter" { try press("Enter") } else { try tmux(["send-keys", "-t", Self.session, "-l", key]) }
            last = clock.now
            if key != "Enter" { try await Task.sleep(for: .milliseconds(8)) }
        }
        return largest
    }

    /// A scan whose digits and Enter reach the terminal in one write, as a scanner's do when the
    /// till was kept off the processor for the whole burst. For tests about what follows a scan,
    /// not its timing: `scan` spawns one tmux client per key, and a loaded machine can stretch
    /// those gaps past any scanner's pace.
    func scanInOneBurst(_ code: String) throws {
        try tmux(["send-keys", "-t", Self.session, "-l", code])
        try press("Enter")
    }

    /// A scan that the till reads as a loaded machine makes it: the till is stopped (SIGSTOP)
    /// after `digits` digits, the rest of the burst and Enter arrive while it cannot read, and
    /// it resumes `pause` later to find them all waiting at once.
    func scan(_ code: String, stoppingTillAfter digits: Int, for pause: Duration) async throws {
        let till = try tillProcess()
        for (index, key) in code.map(String.init).enumerated() {
            if index == digits { kill(till, SIGSTOP) }
            try tmux(["send-keys", "-t", Self.session, "-l", key])
            try await Task.sleep(for: .milliseconds(8))
        }
        try press("Enter")
        // The stop itself: the time a busy machine keeps the till off the processor.
        try await Task.sleep(for: pause)
        kill(till, SIGCONT)
    }

    /// The till's process: the one child of the pane's shell.
    func tillProcess() throws -> pid_t {
        let shell = try tmux(["display-message", "-p", "-t", Self.session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        guard let pid = children.split(separator: " ").first.flatMap({ pid_t($0) }) else {
            throw Failure(description: "the till's process was not found under the pane's shell \(shell)")
        }
        return pid
    }

    /// The screen as text, trailing spaces dropped.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", Self.session])
    }

    /// The screen with its colours (SGR sequences) and trailing spaces kept.
    func colouredScreen() throws -> String {
        try tmux(["capture-pane", "-p", "-e", "-N", "-t", Self.session])
    }

    /// Waits until the screen shows every one of `texts`; returns that screen. Fails after
    /// `timeout` with the last screen seen, or at once if the program ended.
    @discardableResult
    func waitFor(_ texts: String..., within timeout: Duration = .seconds(15)) async throws -> String {
        try await waitUntil("the screen shows \(texts)", within: timeout) { screen in texts.allSatisfy(screen.contains) }
    }

    /// Waits until `condition` holds for the screen; returns that screen.
    @discardableResult
    func waitUntil(_ what: String, within timeout: Duration = .seconds(15), _ condition: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while true {
            last = try screen()
            if condition(last) { return last }
            if let status = try exitStatus() {
                throw Failure(description: "the till ended (exit \(status)) before \(what). Last screen:\n\(last)")
            }
            guard ContinuousClock.now < deadline else {
                throw Failure(description: "waited \(timeout) for \(what). Last screen:\n\(last)")
            }
            try await Task.sleep(for: .milliseconds(40))
        }
    }

    /// The program's exit status once it has ended (128 + the signal when one ended it); nil while it runs.
    func exitStatus() throws -> Int? {
        guard let text = try? String(contentsOfFile: statusFile, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits (a few seconds at most) for the program to end and returns its exit status.
    func waitForExit(within timeout: Duration = .seconds(15)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = try exitStatus() { return status }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw Failure(description: "the till had not ended \(timeout) after being asked to quit (\(try processState())). Screen:\n\(try screen())")
    }

    /// Whether tmux sees the pane dead, and the program's process state as Linux tells it.
    func processState() throws -> String {
        let fields = try tmux(["display-message", "-p", "-t", Self.session, "#{pane_dead} #{pane_pid}"]).split(separator: " ")
        let pid = fields.count > 1 ? String(fields[1]) : "?"
        let state = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("State:") } ?? "State: (no such process)"
        return "pane dead: \(fields.first ?? "?"), pid \(pid) \(state)"
    }

    /// Resizes the window (and so the pane) as a cashier dragging the terminal's corner would.
    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", Self.session, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// The pane's size as tmux has it.
    func paneSize() throws -> (columns: Int, rows: Int) {
        let fields = try tmux(["display-message", "-p", "-t", Self.session, "#{pane_width} #{pane_height}"])
            .split(separator: " ").compactMap { Int($0) }
        guard fields.count == 2 else { throw Failure(description: "tmux did not say the pane's size") }
        return (fields[0], fields[1])
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        try Self.tmux(["-L", socket] + arguments)
    }

    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "tmux could not be started (\(error)). Install it: apt-get install tmux")
        }
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errorText, as: UTF8.self)
            if process.terminationStatus == 127 { throw Failure(description: "tmux was not found on PATH. Install it: apt-get install tmux") }
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(said)")
        }
        var captured = String(decoding: text, as: UTF8.self)
        if captured.hasSuffix("\n") { captured.removeLast() }
        return captured
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension TillHome {
    /// Runs `body` with the till open in tmux; the tmux server is killed afterwards, whatever happens.
    func withTmuxTill<T>(arguments: [String] = [], environment: [String: String] = [:],
                         _ body: (TmuxTill) async throws -> T) async throws -> T {
        let tmux = try TmuxTill(self, arguments: arguments, environment: environment)
        defer { tmux.stop() }
        return try await body(tmux)
    }
}

/// One captured screen cell: its character and the colours it was drawn in.
struct ScreenCell: Equatable {
    var character: Character
    /// SGR colour numbers as tmux wrote them: 30–37/90–97 foreground, 40–47/100–107
    /// background, or 256-colour indices; nil for the terminal's default.
    var foreground: Int?
    var background: Int?
}

/// A `capture-pane -p -e -N` capture turned back into cells, for reading what is drawn where.
struct CapturedScreen {
    var rows: [[ScreenCell]]

    init(ansi text: String) {
        rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(Self.cells)
    }

    private static func cells(_ line: Substring) -> [ScreenCell] {
        var cells: [ScreenCell] = []
        var foreground: Int?
        var background: Int?
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            guard character == "\u{1B}" else {
                cells.append(ScreenCell(character: character, foreground: foreground, background: background))
                index = line.index(after: index)
                continue
            }
            // ESC [ parameters final-byte; only SGR ("m") changes what the cells look like.
            var end = line.index(after: index)
            guard end < line.endIndex, line[end] == "[" else { index = end; continue }
            end = line.index(after: end)
            let start = end
            while end < line.endIndex, !(line[end].isLetter) { end = line.index(after: end) }
            guard end < line.endIndex else { break }
            if line[end] == "m" {
                let codes = line[start..<end].split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                var i = 0
                while i < codes.count {
                    let code = codes[i]
                    switch code {
                    case 0: foreground = nil; background = nil
                    case 30...37, 90...97: foreground = code
                    case 39: foreground = nil
                    case 40...47, 100...107: background = code
                    case 49: background = nil
                    case 38, 48:
                        // 38;5;n / 48;5;n: a 256-colour index, kept as 1000 + n.
                        if i + 2 < codes.count, codes[i + 1] == 5 {
                            if code == 38 { foreground = 1000 + codes[i + 2] } else { background = 1000 + codes[i + 2] }
                            i += 2
                        }
                    default: break
                    }
                    i += 1
                }
            }
            index = line.index(after: end)
        }
        return cells
    }

    /// White or bright white, as a foreground or a background colour.
    static func isWhite(_ colour: Int?) -> Bool {
        [37, 97, 47, 107, 1007, 1015].contains(colour)
    }

    /// Black or bright black, as a foreground or a background colour.
    static func isBlack(_ colour: Int?) -> Bool {
        [30, 90, 40, 100, 1000, 1008].contains(colour)
    }

    /// The QR code as a phone sees it: the cells drawn in black and white (the code and its
    /// quiet zone), each cell read as two modules stacked, a half dark when what covers it — the
    /// glyph's ink (▀ the upper half, ▄ the lower, █ both) or else the background — is black.
    /// This reads both drawings: dark glyphs on white, and white glyphs on black. Nil when
    /// nothing is drawn in black and white.
    func qrModules() -> [[Bool]]? {
        func isQR(_ cell: ScreenCell) -> Bool {
            (Self.isWhite(cell.background) && (cell.foreground == nil || Self.isBlack(cell.foreground)))
                || (Self.isBlack(cell.background) && Self.isWhite(cell.foreground))
        }
        var top = Int.max, bottom = -1, left = Int.max, right = -1
        for (y, row) in rows.enumerated() {
            for (x, cell) in row.enumerated() where isQR(cell) {
                top = min(top, y); bottom = max(bottom, y)
                left = min(left, x); right = max(right, x)
            }
        }
        guard bottom >= 0 else { return nil }
        var modules: [[Bool]] = []
        for y in top...bottom {
            var upper: [Bool] = [], lower: [Bool] = []
            for x in left...right {
                let cell = x < rows[y].count ? rows[y][x] : ScreenCell(character: " ")
                // A cell off the code's area is light: a phone sees no module there.
                guard isQR(cell) else { upper.append(false); lower.append(false); continue }
                let inkIsBlack = cell.foreground == nil || Self.isBlack(cell.foreground)
                let backgroundIsBlack = Self.isBlack(cell.background)
                let upperInked = cell.character == "▀" || cell.character == "█"
                let lowerInked = cell.character == "▄" || cell.character == "█"
                upper.append(upperInked ? inkIsBlack : backgroundIsBlack)
                lower.append(lowerInked ? inkIsBlack : backgroundIsBlack)
            }
            modules.append(upper)
            modules.append(lower)
        }
        return modules
    }
}
