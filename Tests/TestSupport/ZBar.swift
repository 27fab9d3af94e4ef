import Foundation

/// Decodes pictures with zbarimg from Debian's zbar-tools: an independent QR reader, so the
/// tests check our drawing against what a real scanner reads.
public enum ZBar {
    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String {
            "zbarimg was not found on PATH. Install it (apt-get install zbar-tools): the QR decode tests need a real decoder."
        }
    }

    public struct DecodeFailed: Error, CustomStringConvertible {
        public let status: Int32
        public let errorOutput: String
        /// The modules that were drawn, as `#` and `.`, to see what the reader was shown.
        public let picture: String
        public var description: String { "zbarimg could not read the QR code (exit \(status)): \(errorOutput)\n\(picture)" }
    }

    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("zbarimg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotInstalled()
    }

    /// The text zbarimg reads from a binary PGM picture of `modules` (rows of dark flags),
    /// drawn `scale` pixels per module on a white border of `border` modules.
    public static func decode(modules: [[Bool]], scale: Int = 4, border: Int = 4) throws -> String {
        _ = try executable()
        let width = ((modules.first?.count ?? 0) + 2 * border) * scale
        let height = (modules.count + 2 * border) * scale
        var pixels = [UInt8](repeating: 255, count: width * height)
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                for dy in 0..<scale {
                    for dx in 0..<scale {
                        pixels[((y + border) * scale + dy) * width + (x + border) * scale + dx] = 0
                    }
                }
            }
        }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("shroff-qr-\(UUID().uuidString).pgm")
        defer { try? FileManager.default.removeItem(at: file) }
        try (Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)).write(to: file)

        return try read(file: file.path, picture: modules.map { String($0.map { $0 ? "#" : "." }) }.joined(separator: "\n"))
    }

    /// The text zbarimg reads from a picture file (a screenshot), or nil when it finds no code.
    public static func decode(file: String) throws -> String? {
        do {
            return try read(file: file, picture: file)
        } catch let failed as DecodeFailed where failed.status == 4 {
            return nil  // zbarimg's "no symbol found"
        }
    }

    private static func read(file: String, picture: String) throws -> String {
        let zbarimg = try executable()
        let process = Process()
        process.executableURL = zbarimg
        process.arguments = ["--raw", "-q", file]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DecodeFailed(status: process.terminationStatus, errorOutput: String(decoding: errorText, as: UTF8.self),
                               picture: picture)
        }
        var decoded = String(decoding: text, as: UTF8.self)
        // zbarimg ends each symbol with a newline.
        if decoded.hasSuffix("\n") { decoded.removeLast() }
        return decoded
    }
}
