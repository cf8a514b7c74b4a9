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
/// Lines go out through `LogWriter`, whole and in order, gathered into one
/// write(2) per millisecond or so under load; the timestamp's date-and-time
/// part is formatted once per second. (swift-log's StreamLogHandler formats
/// the time through the C library and merges metadata dictionaries on every
/// call, which cost more than the request it logged.)
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
        // Built as bytes in one buffer: string interpolation, printing the
        // level enum and merging metadata dictionaries were most of the cost
        // of a request's log line.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        Self.appendTimestamp(to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: level.rawValue.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: label.utf8)
        bytes.append(UInt8(ascii: ":"))
        if metadata.isEmpty, let explicit, explicit.count == 1, let (key, value) = explicit.first {
            Self.append(key: key, value: value, to: &bytes)
        } else if !metadata.isEmpty || explicit?.isEmpty == false {
            var merged = metadata
            if let explicit { merged.merge(explicit) { $1 } }
            for key in merged.keys.sorted() {
                Self.append(key: key, value: merged[key]!, to: &bytes)
            }
        }
        bytes.append(contentsOf: " [".utf8)
        bytes.append(contentsOf: source.utf8)
        bytes.append(contentsOf: "] ".utf8)
        bytes.append(contentsOf: message.description.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { LogWriter.standardError.append($0) }
    }

    private static func append(key: String, value: Logger.Metadata.Value, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "="))
        if case .string(let text) = value {
            bytes.append(contentsOf: text.utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private static let cachedSecond = Mutex<(second: Int, text: [UInt8])>((-1, []))

    /// RFC 3339 UTC with milliseconds, e.g. `2026-11-24T02:40:00.054Z`.
    static func appendTimestamp(to bytes: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        cachedSecond.withLock { cached in
            if cached.second != second {
                var time = second
                var parts = tm()
                gmtime_r(&time, &parts)
                let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d",
                                  Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                                  Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
                cached = (second, Array(text.utf8))
            }
            bytes.append(contentsOf: cached.text)
        }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        bytes.append(UInt8(ascii: "Z"))
    }
}
