import Foundation

/// A real terminal emulator on a virtual screen: Xvfb, one xterm drawing with a TrueType font
/// through Xft, keys typed with xdotool, the screen taken with xwd and turned into PNG by
/// ImageMagick — the pixels a phone's camera would see. Everything stops with `stop()`.
///
/// Needs Debian's `xvfb`, `xterm`, `xdotool`, `x11-apps`, `imagemagick` and `fonts-dejavu-core`
/// (`scripts/setup` installs them).
final class XtermScreen: @unchecked Sendable {
    // @unchecked: the processes are started in init and only stopped from the test's own task.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    enum Theme: String, CaseIterable, Sendable {
        case dark, light
        var colours: [String] { self == .dark ? ["-bg", "black", "-fg", "white"] : ["-bg", "white", "-fg", "black"] }
    }

    static let tools = ["Xvfb", "xterm", "xdotool", "xwd", "convert"]
    static let font = "DejaVu Sans Mono"

    private let server: Process
    private let terminal: Process
    let display: String
    private let directory: String

    /// Starts a virtual screen and an 80×24 xterm in `theme` at `fontSize` points, running
    /// `command` with `environment` (plus DISPLAY).
    init(theme: Theme, fontSize: Int, command: [String], environment: [String: String], directory: String) throws {
        for tool in Self.tools where Self.path(of: tool) == nil {
            throw Failure(description: "\(tool) is not installed: run scripts/setup (it installs xvfb, xterm, xdotool, x11-apps, imagemagick)")
        }
        self.directory = directory
        // -displayfd: the server picks a free display and writes its number once it accepts clients.
        server = Process()
        server.executableURL = URL(fileURLWithPath: Self.path(of: "Xvfb")!)
        server.arguments = ["-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp"]
        let number = Pipe()
        server.standardOutput = number
        server.standardError = FileHandle.nullDevice
        try server.run()
        var digits = ""
        while let byte = try number.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            digits.append(Character(Unicode.Scalar(byte)))
        }
        guard !digits.isEmpty else {
            server.terminate()
            throw Failure(description: "Xvfb did not start")
        }
        display = ":" + digits

        terminal = Process()
        terminal.executableURL = URL(fileURLWithPath: Self.path(of: "xterm")!)
        terminal.arguments = ["-fa", Self.font, "-fs", String(fontSize), "-geometry", "80x24+0+0"] + theme.colours
            + ["-e"] + command
        terminal.environment = environment.merging(["DISPLAY": display]) { _, new in new }
        terminal.standardOutput = FileHandle.nullDevice
        terminal.standardError = FileHandle.nullDevice
        do {
            try terminal.run()
        } catch {
            server.terminate()
            throw error
        }
    }

    deinit { stop() }

    /// Kills the xterm (its program gets SIGHUP as the terminal closes) and the server.
    func stop() {
        for process in [terminal, server] where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Types `text` into the xterm, one key every `delay` milliseconds (slower than a scanner).
    func type(_ text: String, delay: Int = 120) throws {
        try run("xdotool", ["search", "--sync", "--class", "xterm", "windowfocus", "--sync"])
        try run("xdotool", ["type", "--delay", String(delay), text])
    }

    /// The whole screen as a PNG file.
    func screenshot(named name: String) throws -> String {
        let dump = directory + "/\(name).xwd", picture = directory + "/\(name).png"
        try run("xwd", ["-root", "-silent", "-out", dump])
        try run("convert", ["xwd:" + dump, picture])
        return picture
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path(of: tool) ?? tool)
        process.arguments = arguments
        process.environment = ["DISPLAY": display, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
    }

    static func path(of tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
