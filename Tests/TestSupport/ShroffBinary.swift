import Foundation

/// Finds the built `shroff` executable that tests run as a child process.
///
/// `swift test` builds every product before it runs the tests, and puts `shroff` in the same
/// products directory as the test executable (Linux) or the `.xctest` bundle (macOS). Looked for,
/// in order: `$SHROFF_BINARY`, beside the running test executable, beside the `.xctest` bundle,
/// and `<package>/.build/debug/shroff` found from this file's path.
public enum ShroffBinary {
    public struct Missing: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "The shroff binary was not found; looked at: \(searched.joined(separator: ", ")). "
                + "Run `swift build --build-tests` first (or set $SHROFF_BINARY to the binary's path)."
        }
    }

    static let located: Result<URL, Missing> = locate()

    /// The binary's location, or `Missing` naming every place looked at.
    public static func url() throws -> URL { try located.get() }

    private static func locate() -> Result<URL, Missing> {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["SHROFF_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        #if os(Linux)
        // The test executable itself sits in the products directory.
        if let running = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: running).deletingLastPathComponent().appendingPathComponent("shroff").path)
        }
        #endif
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("shroff").path)
        }
        // Tests/TestSupport/ShroffBinary.swift → the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/shroff").path)

        for path in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return .success(URL(fileURLWithPath: path))
        }
        return .failure(Missing(searched: candidates))
    }
}
