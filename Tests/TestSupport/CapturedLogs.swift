import Logging
import Synchronization

/// Log lines kept in memory, to check what reaches a log: each line is the level, the message
/// and the metadata (the logger's, then the event's), as `"info message [key: value]"`.
public final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A logger whose every line, at any level, is kept here.
    public func logger(_ label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(sink: self) }
    }

    /// Every line so far, oldest first.
    public var all: [String] { lines.withLock { $0 } }
    /// Every line so far, one a line.
    public var text: String { all.joined(separator: "\n") }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let line = "\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
            sink.lines.withLock { $0.append(line) }
        }
    }
}
