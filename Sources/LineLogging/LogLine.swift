#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Synchronization

/// The one-line format of ``LineLogHandler``:
///
///     2026-11-23T23:29:00.054Z info tessera: correlation_id=a181… [APIServer] GET /v1/self 200 0.38 ms
///
/// time (RFC 3339, UTC, milliseconds), level, label, then ` key=value` for
/// each metadata entry in key order, the source in brackets and the message.
/// Built as bytes in one buffer: string interpolation, printing the level
/// enum and merging metadata dictionaries were most of the cost of a
/// request's log line.
public enum LogLine {
    /// The whole line, newline included, for a record logged at `time`.
    public static func format(
        time: timespec, level: Logger.Level, label: String, handlerMetadata: Logger.Metadata,
        metadata explicit: Logger.Metadata?, source: String, message: Logger.Message
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        appendTimestamp(time, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: level.rawValue.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: label.utf8)
        bytes.append(UInt8(ascii: ":"))
        if handlerMetadata.isEmpty, let explicit, explicit.count == 1, let (key, value) = explicit.first {
            append(key: key, value: value, to: &bytes)
        } else if !handlerMetadata.isEmpty || explicit?.isEmpty == false {
            var merged = handlerMetadata
            if let explicit { merged.merge(explicit) { $1 } }
            for key in merged.keys.sorted() {
                append(key: key, value: merged[key]!, to: &bytes)
            }
        }
        bytes.append(contentsOf: " [".utf8)
        bytes.append(contentsOf: source.utf8)
        bytes.append(contentsOf: "] ".utf8)
        bytes.append(contentsOf: message.description.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The line ``LogWriter`` writes after it had to drop `count` lines.
    public static func droppedNotice(count: Int) -> [UInt8] {
        format(
            time: now(), level: .warning, label: "LineLogging", handlerMetadata: [:],
            metadata: ["dropped_lines": "\(count)"], source: "LineLogging",
            message: "log lines dropped: the output could not keep up"
        )
    }

    /// The current wall-clock time.
    public static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
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

    /// The date-and-time part is formatted once per second.
    private static let cachedSecond = Mutex<(second: Int, text: [UInt8])>((-1, []))

    /// RFC 3339 UTC with milliseconds, e.g. `2026-11-24T02:40:00.054Z`.
    static func appendTimestamp(_ time: timespec, to bytes: inout [UInt8]) {
        let second = time.tv_sec
        cachedSecond.withLock { cached in
            if cached.second != second {
                var seconds = second
                var parts = tm()
                gmtime_r(&seconds, &parts)
                let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d",
                                  Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                                  Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
                cached = (second, Array(text.utf8))
            }
            bytes.append(contentsOf: cached.text)
        }
        let milliseconds = Int(time.tv_nsec / 1_000_000)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        bytes.append(UInt8(ascii: "Z"))
    }
}
