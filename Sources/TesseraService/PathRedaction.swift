import APIRuntime

/// How request paths appear in the log: a secret pasted into a URL must not
/// be written down. Any path segment of 20 characters or more that is not a
/// UUID (the only long values Tessera's paths carry) is masked.
enum PathRedaction {
    static func redact(_ path: Substring) -> String {
        // Fast path: Tessera's own paths are short or end in a UUID.
        var longest = 0
        var current = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") { current = 0 } else { current += 1; longest = max(longest, current) }
        }
        guard longest >= 20 else { return String(path) }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { segment in segment.utf8.count >= 20 && UUIDText.parse(segment) == nil ? "<redacted>" : String(segment) }
            .joined(separator: "/")
    }
}
