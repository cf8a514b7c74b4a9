import Logging

/// A swift-log handler that writes each record as one ``LogLine`` through a
/// ``LogWriter`` (standard error's by default), whole and in order.
///
/// swift-log's StreamLogHandler formats the time through the C library and
/// merges metadata dictionaries on every call, which cost more than the
/// request it logged; this handler formats the date once per second.
///
/// ```swift
/// LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: .info) }
/// defer { LogWriter.standardError.shutdown() }
/// ```
public struct LineLogHandler: LogHandler {
    /// The logger's label, printed after the level.
    public let label: String
    /// Records below this level are not logged (swift-log checks it).
    public var logLevel: Logger.Level
    /// Metadata printed with every record of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Where the lines go.
    public let writer: LogWriter

    /// A handler for `label` that writes records at `logLevel` and above to `writer`.
    public init(label: String, logLevel: Logger.Level, writer: LogWriter = .standardError) {
        self.label = label
        self.logLevel = logLevel
        self.writer = writer
    }

    /// One entry of ``metadata``.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line. Its `error`, which the line format has no
    /// field for, is not printed: callers put what they want shown in the
    /// message or metadata (an error's description is not vetted for secrets).
    public func log(event: LogEvent) {
        let line = LogLine.format(
            time: LogLine.now(), level: event.level, label: label, handlerMetadata: metadata,
            metadata: event.metadata, source: event.source, message: event.message
        )
        line.withUnsafeBytes { writer.append($0) }
    }
}
