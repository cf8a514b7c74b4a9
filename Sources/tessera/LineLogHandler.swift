#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Synchronization

/// Writes each log record as one line on standard error:
///
///     2026-11-23T23:29:00.054Z info tessera: correlation_id=a181… [APIServer] GET /v1/self 200 0.38 ms
///
/// One write(2) per line, so a line is never split or lost in a buffer when
/// the process is killed; the timestamp's date-and-time part is formatted
/// once per second. (swift-log's StreamLogHandler formats the time through
/// the C library and merges metadata dictionaries on every call, which
/// cost more than the request it logged.)
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        var text = Self.timestamp()
        text += " \(level) \(label):"
        if !metadata.isEmpty || explicit?.isEmpty == false {
            var merged = metadata
            if let explicit { merged.merge(explicit) { $1 } }
            for key in merged.keys.sorted() {
                text += " \(key)=\(merged[key]!)"
            }
        }
        text += " [\(source)] \(message)\n"
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    private static let cachedSecond = Mutex<(second: Int, text: String)>((-1, ""))

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        let prefix = cachedSecond.withLock { cached -> String in
            if cached.second == second { return cached.text }
            var time = second
            var parts = tm()
            gmtime_r(&time, &parts)
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d",
                              Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                              Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
            cached = (second, text)
            return text
        }
        let milliseconds = now.tv_nsec / 1_000_000
        let digits = String(milliseconds)
        return prefix + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}
